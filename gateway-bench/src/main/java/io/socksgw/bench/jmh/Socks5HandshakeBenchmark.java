package io.socksgw.bench.jmh;

import com.typesafe.config.ConfigFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.socksx.v5.Socks5AddressDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.Failure;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.ProbeResult;
import io.socksgw.core.config.ConfigLoader;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.GatewayConfigBinder;
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.plugin.PluginRuntime;
import io.socksgw.core.session.Session;
import io.socksgw.core.socks.SessionServices;
import io.socksgw.core.socks.SocksVersionDetector;
import io.socksgw.core.upstream.Connector;
import io.socksgw.core.upstream.OutboundConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SOCKS5 handshake without the network, per connection, on an {@link EmbeddedChannel}:
 *
 * <ul>
 *   <li>{@code embeddedChannel}: creating and closing the channel alone, to subtract;
 *   <li>{@code nettyDecoders}: Netty's greeting and request decoders, swapped as the gateway swaps them;
 *   <li>{@code gatewayHandshake}: the gateway's own pipeline from the first byte
 *       ({@link SocksVersionDetector} installing the codecs and {@code Socks5HandshakeHandler}), with the
 *       built-in {@code none}, {@code allow-all} and {@code direct} plugins and no session listener, up to
 *       the success reply and the relay installed on an in-memory outbound channel.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Socks5HandshakeBenchmark {

    private static final ClientInfo CLIENT = new ClientInfo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 1080), "bench");
    private static final InetSocketAddress BOUND = new InetSocketAddress(InetAddress.getLoopbackAddress(), 43210);

    @Param({"ipv4", "domain"})
    public String destination;

    private ByteBuf greeting;
    private ByteBuf request;
    private ScheduledExecutorService scheduler;
    private PluginRuntime plugins;
    private SessionServices services;
    private EmbeddedChannel lastOutbound;

    @Setup(Level.Trial)
    public void setUp() {
        greeting = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(new byte[] {5, 1, 0}));
        ByteBuf req = Unpooled.directBuffer().writeBytes(new byte[] {5, 1, 0});
        if (destination.equals("ipv4")) {
            req.writeByte(1).writeBytes(new byte[] {10, 0, 0, 1});
        } else {
            byte[] name = "www.example.com".getBytes(StandardCharsets.US_ASCII);
            req.writeByte(3).writeByte(name.length).writeBytes(name);
        }
        req.writeShort(443);
        request = Unpooled.unreleasableBuffer(req);

        scheduler = Executors.newSingleThreadScheduledExecutor();
        ClassLoader loader = Socks5HandshakeBenchmark.class.getClassLoader();
        GatewayConfig config = new GatewayConfigBinder(Path.of(".")).bind(new ConfigLoader(loader).resolve(
                ConfigFactory.parseString("""
                        socksgw {
                          authenticators = [ { plugin = none } ]
                          access { default = deny, policies = [ { plugin = allow-all } ] }
                          routers = [ { plugin = direct } ]
                          session-listeners = []
                        }
                        """)));
        plugins = PluginRuntime.create(config, PluginCatalog.discover(loader), Runnable::run, scheduler,
                hop -> CompletableFuture.completedFuture(new ProbeResult(
                        Optional.of(Failure.ofGateway(Failure.Kind.INTERNAL, "no probes")), Duration.ZERO)));
        Connector connector = (loop, route, connectRequest) -> {
            lastOutbound = new EmbeddedChannel() {
                @Override
                public java.net.SocketAddress remoteAddress() {
                    return BOUND; // the gateway reports where the outbound socket went
                }

                @Override
                public java.net.SocketAddress localAddress() {
                    return BOUND;
                }
            };
            lastOutbound.config().setAutoRead(false);
            return loop.newSucceededFuture(new OutboundConnection(lastOutbound, Chain.DIRECT, BOUND, BOUND));
        };
        services = new SessionServices(plugins, connector, config.timeouts(), config.limits());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plugins.close();
        scheduler.shutdownNow();
    }

    @Benchmark
    public boolean embeddedChannel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        return channel.finishAndReleaseAll();
    }

    @Benchmark
    public Object nettyDecoders() {
        EmbeddedChannel channel = new EmbeddedChannel(new Socks5InitialRequestDecoder());
        channel.writeInbound(greeting.duplicate());
        Socks5InitialRequest hello = channel.readInbound();
        channel.pipeline().replace(Socks5InitialRequestDecoder.class, "decoder",
                new Socks5CommandRequestDecoder(Socks5AddressDecoder.DEFAULT));
        channel.writeInbound(request.duplicate());
        Socks5CommandRequest connect = channel.readInbound();
        channel.finishAndReleaseAll();
        if (hello.decoderResult().isFailure() || connect.decoderResult().isFailure()) {
            throw new IllegalStateException("decoding failed");
        }
        return connect.dstAddr();
    }

    @Benchmark
    public int gatewayHandshake() {
        EmbeddedChannel client = new EmbeddedChannel();
        Session session = new Session(CLIENT, plugins.events(), Clock.systemUTC());
        client.closeFuture().addListener(f -> session.closed());
        client.pipeline().addLast("socks-detect", new SocksVersionDetector(session, services));
        client.writeInbound(greeting.duplicate());
        int replied = drain(client);
        client.writeInbound(request.duplicate());
        replied += drain(client);
        if (replied != 2 + 10) {
            throw new IllegalStateException("expected a method reply and a success reply, got " + replied + " bytes");
        }
        client.finishAndReleaseAll();
        lastOutbound.finishAndReleaseAll();
        return replied;
    }

    private static int drain(EmbeddedChannel channel) {
        int bytes = 0;
        Object message;
        while ((message = channel.readOutbound()) != null) {
            if (message instanceof ByteBuf buf) {
                bytes += buf.readableBytes();
            }
            ReferenceCountUtil.release(message);
        }
        return bytes;
    }
}
