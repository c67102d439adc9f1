package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tarball holds besides the program: LICENSE, NOTICE covering every jar of lib/, the systemd unit. */
class ShippedFilesE2E {

    /** A jar's artifact name: its file name up to the version ("netty-transport-native-epoll-4.2.18.Final-linux-x86_64.jar"). */
    private static final Pattern ARTIFACT = Pattern.compile("(.+?)-\\d.*\\.jar");

    @TempDir
    static Path work;

    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        home = Dist.unpack(work);
    }

    @Test
    void shipsTheApacheLicense() throws IOException {
        String license = Files.readString(home.resolve("LICENSE"), StandardCharsets.UTF_8);
        assertThat(license).contains("Apache License", "Version 2.0, January 2004",
                "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION", "END OF TERMS AND CONDITIONS");
    }

    /**
     * Every third-party jar in lib/ is named in NOTICE as groupId:artifactId. When this fails after a
     * dependency change, add the artifact with its licence to NOTICE at the root of the source tree.
     */
    @Test
    void noticeNamesEveryThirdPartyJarInLib() throws IOException {
        String notice = Files.readString(home.resolve("NOTICE"), StandardCharsets.UTF_8);
        List<String> artifacts;
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            artifacts = jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted()
                    .map(name -> {
                        Matcher matcher = ARTIFACT.matcher(name);
                        assertThat(matcher.matches()).as("a jar named artifact-version.jar: %s", name).isTrue();
                        return matcher.group(1);
                    })
                    .filter(artifact -> !artifact.startsWith("gateway-")) // socksgw's own
                    .toList();
        }
        assertThat(artifacts).contains("netty-common", "guice", "config", "slf4j-api", "logback-classic");
        List<String> missing = artifacts.stream()
                .filter(artifact -> !Pattern.compile(":" + Pattern.quote(artifact) + "(?![\\w.-])").matcher(notice).find())
                .toList();
        assertThat(missing).as("jars in lib/ that NOTICE does not name as groupId:artifactId (add them, with their licence)")
                .isEmpty();
    }

    @Test
    void shipsTheSystemdUnit() throws IOException {
        assertThat(home.resolve("systemd/socksgw.service")).content()
                .contains("ExecStart=/opt/socksgw/bin/socksgw run", "User=socksgw");
    }

    @Test
    void shipsAnEmptyPluginsFolderWithItsReadme() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("plugins"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("README.md");
        }
    }
}
