package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.socksgw.dist.Dist.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** bin/socksgw as a shell script: shellcheck finds nothing (where shellcheck is installed). */
class LauncherScriptTest {

    static final Path LAUNCHER = Path.of("src/main/dist/bin/socksgw");

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).map(d -> Path.of(d, program)).anyMatch(Files::isExecutable);
    }

    @Test
    void passesShellcheck() throws Exception {
        assumeTrue(onPath("shellcheck"), "shellcheck is not installed");
        Result result = Dist.exec(List.of("shellcheck", "--shell=bash", LAUNCHER.toString()), Map.of(), Path.of("."),
                Duration.ofSeconds(60));
        assertThat(result.code()).as("shellcheck: %s", result).isZero();
    }

    @Test
    void passesBashSyntaxCheck() throws Exception {
        Result result = Dist.exec(List.of("bash", "-n", LAUNCHER.toString()), Map.of(), Path.of("."), Duration.ofSeconds(30));
        assertThat(result.code()).as("bash -n: %s", result).isZero();
    }
}
