package io.socksgw.core.it;

import java.time.Duration;

/** Prints a measured duration on the test output, so a run shows how close each bound was. */
public final class Timings {

    private Timings() {}

    public static void report(String what, Duration took) {
        System.out.printf("[timing] %s: %d ms%n", what, took.toMillis());
    }
}
