package io.socksgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's plugin deployment, end to end: the example user-router jar dropped into
 * {@code plugins/user-router/} of the unpacked tarball is loaded in its own class loader, answers
 * {@code explain}, and routes real traffic through {@code bin/socksgw start}.
 */
class ExamplePluginE2E {

    @TempDir
    Path work;

    @Test
    void aPluginJarDroppedIntoPluginsIsLoadedAndRoutesTraffic() throws Exception {
        Path home = Dist.unpack(work);
        Path jar = Path.of(System.getProperty("socksgw.example.plugin.jar"));
        assertThat(jar).exists();
        Path pluginDir = Files.createDirectories(home.resolve("plugins/user-router"));
        Files.copy(jar, pluginDir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);

        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        web.createContext("/", exchange -> {
            byte[] body = "routed by a plugin".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        web.start();
        int port = Dist.freePort();
        Path config = work.resolve("plugin.conf");
        Files.writeString(config, """
                socksgw {
                  listeners = [ { name = socks, host = "127.0.0.1", port = %d } ]
                  admin.enabled = false
                  routers = [ {
                    plugin = user-router
                    routes { carol = { hops = [ { protocol = socks5, host = "127.0.0.1", port = 1 } ] } }
                    default = direct
                  } ]
                }
                """.formatted(port), StandardCharsets.UTF_8);
        try {
            Dist.Result check = Dist.socksgw(home, Map.of(), "check-config", "--config", config.toString());
            assertThat(check.code()).as(check.toString()).isZero();

            Dist.Result explain = Dist.socksgw(home, Map.of(), "explain", "--config", config.toString(),
                    "--destination", "example.org:443", "--user", "carol");
            assertThat(explain.code()).as(explain.toString()).isZero();
            assertThat(explain.out()).contains("CONNECT by rule").contains("127.0.0.1:1");

            Dist.Result start = Dist.socksgw(home, Map.of(), "start", "--config", config.toString());
            assertThat(start.code()).as(start.toString()).isZero();
            Dist.Result curl = Dist.exec(List.of("curl", "-sS", "--max-time", "10", "--proxy",
                    "socks5h://127.0.0.1:" + port, "http://localhost:" + web.getAddress().getPort() + "/"),
                    Map.of(), work, Duration.ofSeconds(20));
            assertThat(curl.code()).as(curl.toString()).isZero();
            assertThat(curl.out()).isEqualTo("routed by a plugin");
            assertThat(Files.readString(home.resolve("logs/socksgw.log"))).contains("user-router");
        } finally {
            Dist.Result stop = Dist.socksgw(home, Map.of(), "stop");
            web.stop(0);
            assertThat(stop.code()).as(stop.toString()).isZero();
        }
    }
}
