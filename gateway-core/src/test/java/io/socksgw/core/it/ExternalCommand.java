package io.socksgw.core.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real client program (curl, python) with a bounded wait, capturing what it printed. */
final class ExternalCommand {

    /** What the program did. */
    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + ", stdout [" + stdout + "], stderr [" + stderr + "]";
        }
    }

    private ExternalCommand() {}

    /**
     * Runs {@code command} with no proxy variables in its environment, killing it after {@code limit}.
     *
     * @throws AssertionError if it did not finish in time
     */
    static Result run(Duration limit, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        // A proxy or no-proxy variable in the caller's environment must not steer the client.
        environment.keySet().removeIf(name -> name.toLowerCase(Locale.ROOT).endsWith("_proxy"));
        File out = File.createTempFile("socksgw-out", ".txt");
        File err = File.createTempFile("socksgw-err", ".txt");
        try {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.redirectOutput(out);
            builder.redirectError(err);
            Process process = builder.start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not finish within " + limit + "; stderr: " + read(err));
            }
            return new Result(process.exitValue(), read(out), read(err));
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }

    private static String read(File file) {
        try {
            return Files.readString(file.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
