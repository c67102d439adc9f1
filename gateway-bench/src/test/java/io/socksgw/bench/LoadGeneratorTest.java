package io.socksgw.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.socksgw.core.Gateway;
import io.socksgw.core.config.ConfigLoader;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.GatewayConfigBinder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load generator's SOCKS5 client and its three modes against an in-process gateway and the bench
 * server, briefly (about a second in all): they must move bytes, complete connections and hold
 * tunnels, through the gateway and directly.
 */
class LoadGeneratorTest {

    private static BenchServer server;
    private static Gateway gateway;
    private static EventLoopGroup group;
    private static TunnelOpener opener;
    private static Target socks;
    private static final Target DIRECT = Target.parse("direct");
    private static final long SELF = ProcessHandle.current().pid();

    @BeforeAll
    static void start() {
        server = BenchServer.start("127.0.0.1", 0, 0, 1);
        GatewayConfig config = new GatewayConfigBinder(Path.of(".")).bind(new ConfigLoader(
                LoadGeneratorTest.class.getClassLoader()).resolve(ConfigFactory.parseString("""
                socksgw {
                  listeners = [ { name = bench, host = "127.0.0.1", port = 0 } ]
                  authenticators = [ { plugin = none } ]
                  access { default = deny, policies = [ { plugin = allow-all } ] }
                  routers = [ { plugin = direct } ]
                  session-listeners = []
                }
                """)));
        gateway = Gateway.start(config);
        InetSocketAddress address = gateway.address();
        socks = Target.parse("socksgw=127.0.0.1:" + address.getPort() + "@" + SELF);
        group = Net.group(1, "test-client");
        opener = new TunnelOpener(group, 5_000);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        gateway.close();
        server.close();
    }

    @Test
    void bulkUploadAndEchoMoveBytesThroughTheGatewayAndDirectly() throws Exception {
        ByteBuf chunk = Unpooled.directBuffer(16 * 1024).writeZero(16 * 1024);
        try {
            BulkRun bulk = new BulkRun(opener, chunk, List.of(), 256 * 1024);
            for (Target target : List.of(DIRECT, socks)) {
                BulkRun.Result upload = bulk.run(target, server.sinkAddress(), false, 1, 50, 150);
                BulkRun.Result echo = bulk.run(target, server.echoAddress(), true, 2, 50, 150);
                assertThat(upload.megabytesPerSecond()).as("upload via %s", target.name()).isPositive();
                assertThat(echo.megabytesPerSecond()).as("echo via %s", target.name()).isPositive();
            }
        } finally {
            chunk.release();
        }
    }

    @Test
    void connectionRateCompletesHandshakesWithoutErrors() throws Exception {
        ByteBuf payload = Unpooled.directBuffer(ConnectionRateRun.PAYLOAD).writeZero(ConnectionRateRun.PAYLOAD);
        try {
            ConnectionRateRun rate = new ConnectionRateRun(opener, payload, List.of());
            ConnectionRateRun.Result result = rate.run(socks, server.echoAddress(), 4, 50, 250);
            assertThat(result.errors()).as("first error: %s", result.firstError()).isZero();
            assertThat(result.completed()).isPositive();
            assertThat(result.p99Millis()).isGreaterThanOrEqualTo(result.p50Millis()).isPositive();
        } finally {
            payload.release();
        }
    }

    @Test
    void holdKeepsEveryTunnelOpenAndMeasuresTheGatewaysMemory() throws Exception {
        ByteBuf oneByte = Unpooled.directBuffer(1).writeByte('x');
        try {
            HoldRun.Result result = new HoldRun(opener, oneByte).run(socks, server.echoAddress(), 20, 8, 10, 5_000);
            assertThat(result.held()).as("first error: %s", result.firstError()).isEqualTo(20);
            assertThat(result.memoryHoldingKiB()).isPositive();
            assertThat(result.memoryKind()).isEqualTo("RSS");
        } finally {
            oneByte.release();
        }
    }

    @Test
    void tableShowsMediansAndRatios() {
        LoadGenerator.Samples samples = new LoadGenerator.Samples();
        for (double v : new double[] {100, 300, 200}) {
            samples.add("bulk-1-upload", "direct", Map.of("mbps", v * 10));
            samples.add("bulk-1-upload", "socksgw", Map.of("mbps", v * 8, "cpuPerGB", 0.3));
            samples.add("bulk-1-upload", "dante", Map.of("mbps", v * 4, "cpuPerGB", 0.7));
        }
        LoadGenerator.Settings settings = new LoadGenerator.Settings(new Options(
                new String[] {"--modes", "bulk", "--streams", "1"}, 0));
        String table = new Table(List.of(DIRECT, Target.parse("socksgw=127.0.0.1:1"), Target.parse("dante=127.0.0.1:2")),
                samples, settings, Map.of(), "socksgw", "socksgw-3hop").markdown();
        assertThat(table).contains("| bulk 1 stream upload, MB/s (target CPU-s per GB relayed) | 2,000 | 1,600 (0.30) | "
                + "800 (0.70) | 0.80 x | 2.00 x | – |");
    }

    @Test
    void parsesTargets() {
        Target chain = Target.parse("socksgw-3hop=127.0.0.1:1090@11,12,13");
        assertThat(chain.socks()).isEqualTo(new InetSocketAddress("127.0.0.1", 1090));
        assertThat(chain.pids()).containsExactly(11L, 12L, 13L);
        assertThat(Target.parse("direct").direct()).isTrue();
    }
}
