package io.socksgw.core.cli;

import java.io.PrintStream;

/** One sub-command of {@code socksgw}. */
interface SubCommand {

    /** One line for the usage text. */
    String summary();

    /** Runs; returns the exit code. */
    int run(Arguments arguments, PrintStream out, PrintStream err);
}
