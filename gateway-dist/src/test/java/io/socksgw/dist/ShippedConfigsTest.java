package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every configuration file the tarball ships passes {@code check-config} with the real plugins. */
class ShippedConfigsTest {

    static final Path CONF = Path.of("src/main/dist/conf");

    static List<Path> shippedConfigs() throws IOException {
        try (Stream<Path> top = Files.list(CONF); Stream<Path> examples = Files.list(CONF.resolve("examples"))) {
            return Stream.concat(top, examples).filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("shippedConfigs")
    void passesCheckConfig(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"check-config", "--config", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("check-config %s: %s", file, err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(": OK");
    }
}
