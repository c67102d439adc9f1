package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.dist.Dist.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every configuration the tarball ships passes {@code bin/socksgw check-config}, as users get them:
 * from the unpacked tarball, through the launcher, with the jars of its lib/.
 */
class ShippedConfigsE2E {

    @TempDir
    static Path work;

    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        home = Dist.unpack(work);
    }

    static List<String> examples() throws IOException {
        // The same list as in the source tree: the tarball is not unpacked yet when this is called.
        try (Stream<Path> files = Files.list(ShippedConfigsTest.CONF.resolve("examples"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf")).sorted().toList();
        }
    }

    @Test
    void theTarballShipsEveryExampleOfTheSourceTree() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("conf/examples"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf")).sorted().toList())
                    .isNotEmpty().isEqualTo(examples());
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void anExamplePassesCheckConfig(String name) throws Exception {
        Path file = home.resolve("conf/examples").resolve(name);
        Result result = Dist.socksgw(home, Map.of(), "check-config", "--config", file.toString());
        assertThat(result.code()).as("check-config %s: %s", file, result).isZero();
        assertThat(result.out()).contains(": OK");
    }

    @Test
    void theDefaultConfigurationPassesCheckConfigWithoutAnyOption() throws Exception {
        Result result = Dist.socksgw(home, Map.of(), "check-config");
        assertThat(result.code()).as("check-config: %s", result).isZero();
        assertThat(result.out()).contains("socksgw.conf: OK");
    }
}
