package io.socksgw.core.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.socksgw.api.GatewayPlugin;
import io.socksgw.core.Gateway;
import io.socksgw.core.config.ConfigLoader;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.plugin.PluginCatalog;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A real gateway on an ephemeral loopback port with the test plugins, configured from a HOCON
 * snippet merged over a test default (one listener on 127.0.0.1:0, test-none, test-allow,
 * test-direct, test-recording). Every test client comes from 127.0.0.1, so the per-address guards
 * (sessions and connection rate per IP, authentication-failure delay and ban) are off here; the
 * tests of those guards turn them on.
 */
public final class TestGateway implements AutoCloseable {

    public static final String DEFAULTS = """
            socksgw {
              listeners = [ { name = test, host = "127.0.0.1", port = 0 } ]
              authenticators = [ { plugin = test-none } ]
              access.policies = [ { plugin = test-allow } ]
              routers = [ { plugin = test-direct } ]
              session-listeners = [ { plugin = test-recording } ]
              timeouts { handshake = 5s, connect = 5s, idle = 30s }
              dns.query-timeout = 2s
              limits { max-sessions-per-ip = 0, new-connections-per-ip-per-second = 0 }
              security { auth-failure-delay = 0s, auth-ban.failures = 0 }
            }
            """;

    private final Gateway gateway;
    private final RecordingListener events;

    private TestGateway(Gateway gateway, RecordingListener events) {
        this.gateway = gateway;
        this.events = events;
    }

    /** Starts with the test plugins only. */
    public static TestGateway start(String hocon) {
        return start(hocon, List.of());
    }

    /** Starts with the test plugins plus {@code extra} plugins. */
    public static TestGateway start(String hocon, List<GatewayPlugin> extra) {
        RecordingListener events = new RecordingListener();
        List<GatewayPlugin> plugins = new ArrayList<>(extra);
        plugins.add(new TestPlugins(events));
        return new TestGateway(Gateway.start(config(hocon), PluginCatalog.of(plugins)), events);
    }

    /**
     * Binds {@code hocon} over the test defaults. Keys may be written with or without the
     * {@code socksgw.} prefix ({@code timeouts.idle = 1s} or {@code socksgw.timeouts.idle = 1s}).
     */
    public static GatewayConfig config(String hocon) {
        ConfigLoader loader = new ConfigLoader(TestGateway.class.getClassLoader());
        Config snippet = ConfigFactory.parseString(hocon);
        if (!snippet.isEmpty() && !snippet.hasPath("socksgw")) {
            snippet = snippet.atPath("socksgw");
        }
        return new io.socksgw.core.config.GatewayConfigBinder(java.nio.file.Path.of("."))
                .bind(loader.resolve(snippet.withFallback(ConfigFactory.parseString(DEFAULTS))));
    }

    public Gateway gateway() {
        return gateway;
    }

    public InetSocketAddress address() {
        return gateway.address();
    }

    public int port() {
        return address().getPort();
    }

    public RecordingListener events() {
        return events;
    }

    @Override
    public void close() {
        gateway.close();
    }
}
