package io.socksgw.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.GatewayConfig.ListenerConfig;
import io.socksgw.core.config.GatewayConfig.ProxyProtocol;
import io.socksgw.core.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/scale-out.md says what works: its haproxy.cfg passes {@code haproxy -c}, its HOCON snippets bind. */
class ScaleOutDocTest {

    private static final Path DOC = Path.of("..", "docs", "scale-out.md");
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    @TempDir
    Path dir;

    @Test
    void theSampleHaproxyConfigurationIsValid() throws Exception {
        assumeTrue(Files.isExecutable(HAPROXY), "haproxy is not installed at " + HAPROXY);
        List<String> samples = blocks("haproxy");
        assertThat(samples).hasSize(1);
        assertThat(samples.get(0)).contains("send-proxy-v2").contains("option httpchk GET /ready")
                .contains("option redispatch");
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, samples.get(0));

        ExternalCommand.Result result = ExternalCommand.run(Duration.ofSeconds(20),
                List.of(HAPROXY.toString(), "-c", "-f", cfg.toString()));

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void everyHoconSnippetBinds() throws Exception {
        List<String> snippets = blocks("hocon");
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(3);
        List<GatewayConfig> configs = new ArrayList<>();
        for (String snippet : snippets) {
            configs.add(TestGateway.config(snippet));
        }
        ListenerConfig node = configs.get(configs.size() - 1).listeners().get(0);
        assertThat(node.proxyProtocol()).isEqualTo(ProxyProtocol.REQUIRED);
        assertThat(node.trustedProxies()).isNotEmpty();
        assertThat(configs.get(configs.size() - 1).admin().enabled()).isTrue();
    }

    private static List<String> blocks(String language) throws Exception {
        Matcher m = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```").matcher(Files.readString(DOC));
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
