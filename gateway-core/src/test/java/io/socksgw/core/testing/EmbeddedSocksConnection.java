package io.socksgw.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Ticker;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.Failure;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.ProbeResult;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.plugin.PluginCatalog;
import io.socksgw.core.plugin.PluginRuntime;
import io.socksgw.core.session.Session;
import io.socksgw.core.socks.SessionServices;
import io.socksgw.core.socks.SocksVersionDetector;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One client connection as the server sees it, on an {@link EmbeddedChannel}: the pipeline starts
 * with a {@link SocksVersionDetector} alone, as {@code SocksChannelInitializer} builds it, over the
 * test plugins ({@link TestPlugins}) and a {@link ScriptedConnector}.
 *
 * <p>Some test plugins (the {@code test-users} authenticator) complete on another thread. A plain
 * {@code EmbeddedEventLoop} claims every thread as its own ({@code inEventLoop()} is always true), so
 * the handshake would carry on, unsynchronized, on that thread. Here the client channel's loop
 * belongs to the thread that opened the connection: work handed to it from elsewhere waits in a queue
 * until that thread runs it, as on a real event loop. {@link #write} polls (with Awaitility) until no
 * plugin call is in flight, running those tasks, before the test looks at anything.
 */
public final class EmbeddedSocksConnection implements AutoCloseable {

    /** Where the client "connects from" and to. */
    public static final ClientInfo CLIENT = new ClientInfo(new InetSocketAddress(ip(192, 0, 2, 10), 50_000),
            new InetSocketAddress(ip(127, 0, 0, 1), 1080), "test");

    private final RecordingListener events = new RecordingListener();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-plugin-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final ScriptedConnector connector;
    private final PluginRuntime plugins;
    private final OwnedEmbeddedChannel client;

    private EmbeddedSocksConnection(GatewayConfig config, ScriptedConnector connector) {
        this.connector = connector;
        this.plugins = PluginRuntime.create(config, PluginCatalog.of(List.of(new TestPlugins(events))), Runnable::run,
                scheduler, EmbeddedSocksConnection::noProbes);
        // BIND and UDP settings as configured; no sockets can be opened here (UDP has no transport).
        SessionServices services = new SessionServices(plugins, connector, config.timeouts(), config.limits(),
                io.socksgw.core.limits.ClientLimits.unlimited(), config.bind(),
                new io.socksgw.core.udp.UdpRelays(null, null, config.udp()));
        this.client = new OwnedEmbeddedChannel();
        Session session = new Session(CLIENT, plugins.events(), Clock.systemUTC());
        client.closeFuture().addListener(f -> session.closed());
        client.pipeline().addLast("socks-detect", new SocksVersionDetector(session, services));
    }

    /** A connection served with {@code hocon} over {@link TestGateway#DEFAULTS}. */
    public static EmbeddedSocksConnection open(String hocon, ScriptedConnector connector) {
        return new EmbeddedSocksConnection(TestGateway.config(hocon), connector);
    }

    /** Delivers each chunk as one read from the client, then lets the server finish reacting. */
    public EmbeddedSocksConnection write(byte[]... chunks) {
        for (byte[] chunk : chunks) {
            if (!client.isOpen()) {
                break; // the server hung up; a real client would get a broken pipe
            }
            client.writeInbound(Unpooled.wrappedBuffer(chunk));
            settle();
        }
        return this;
    }

    /** Delivers {@code bytes} one read at a time. */
    public EmbeddedSocksConnection writeBytewise(byte[] bytes) {
        for (byte b : bytes) {
            write(new byte[] {b});
        }
        return this;
    }

    /** The bytes the server sent the client since the last call, as lower-case hex pairs ("05 00"). */
    public String replies() {
        return hex(drain(client));
    }

    /** The raw bytes the server sent the client since the last call. */
    public byte[] replyBytes() {
        return drain(client);
    }

    /** The destination answers with {@code bytes} (only after a successful CONNECT). */
    public void destinationSends(byte[] bytes) {
        connector.destination().writeInbound(Unpooled.wrappedBuffer(bytes));
        settle();
    }

    /** Whether the server keeps the client connection open. */
    public boolean isOpen() {
        return client.isOpen();
    }

    /** The session events the server published. */
    public RecordingListener events() {
        return events;
    }

    /** Closes the client side (if the server has not) and waits for the session's summary. */
    public SessionSummary closedSummary() {
        client.close();
        settle();
        // Events arrive on the dispatcher's thread.
        Awaitility.await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(5))
                .until(() -> !events.closed().isEmpty());
        return events.closed().get(0);
    }

    @Override
    public void close() {
        try {
            settle();
        } finally {
            try {
                client.finishAndReleaseAll(); // rethrows an exception that reached the end of the pipeline
            } finally {
                connector.closeAll();
                plugins.close();
                scheduler.shutdownNow();
            }
        }
    }

    /** The test plugins never probe hops; nothing here should ask. */
    private static CompletionStage<ProbeResult> noProbes(Hop hop) {
        return CompletableFuture.completedFuture(new ProbeResult(
                Optional.of(Failure.ofGateway(Failure.Kind.INTERNAL, "no hop probes in handshake tests")), Duration.ZERO));
    }

    private void settle() {
        Awaitility.await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> {
                    runTasks();
                    return !waitingForAPlugin();
                });
        runTasks();
    }

    /**
     * The handshake stops reading while an authenticator, policy, router or the connector works, and
     * reads again (or closes) once it has answered; a connector scripted to hang never answers.
     */
    private boolean waitingForAPlugin() {
        return client.isOpen() && !client.config().isAutoRead() && !connector.leftARequestHanging();
    }

    private void runTasks() {
        do {
            client.loop().runForeignTasks();
            client.runPendingTasks();
            for (EmbeddedChannel destination : connector.destinations()) {
                destination.runPendingTasks();
            }
        } while (client.hasPendingTasks() || client.loop().hasForeignTasks());
    }

    private static byte[] drain(EmbeddedChannel channel) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            if (!(message instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(message);
                throw new AssertionError("the server wrote an object the encoder never turned into bytes: " + message);
            }
            bytes.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return bytes.toByteArray();
    }

    /** "05 00 ff" to bytes; spaces are ignored. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** Bytes to "05 00 ff". */
    public static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    private static InetAddress ip(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An embedded channel whose event loop is the thread that created it. */
    private static final class OwnedEmbeddedChannel extends EmbeddedChannel {
        private OwnerThreadEventLoop loop;

        @Override
        public EventLoop eventLoop() {
            EventLoop embedded = super.eventLoop();
            if (loop == null) {
                loop = new OwnerThreadEventLoop((EventLoop) embedded, Thread.currentThread());
            }
            return loop;
        }

        OwnerThreadEventLoop loop() {
            eventLoop();
            return loop;
        }
    }

    /**
     * The embedded loop, except that only its owner thread is "in" it: other threads' tasks wait in a
     * queue for the owner, which is what makes {@code EventLoopResume} hop as it does in production.
     */
    private static final class OwnerThreadEventLoop extends AbstractEventExecutor implements EventLoop {
        private final EventLoop embedded;
        private final Thread owner;
        private final Queue<Runnable> foreignTasks = new ConcurrentLinkedQueue<>();

        OwnerThreadEventLoop(EventLoop embedded, Thread owner) {
            this.embedded = embedded;
            this.owner = owner;
        }

        void runForeignTasks() {
            Runnable task;
            while ((task = foreignTasks.poll()) != null) {
                task.run();
            }
        }

        boolean hasForeignTasks() {
            return !foreignTasks.isEmpty();
        }

        @Override
        public boolean inEventLoop(Thread thread) {
            return thread == owner;
        }

        @Override
        public void execute(Runnable task) {
            if (inEventLoop()) {
                embedded.execute(task);
            } else {
                foreignTasks.add(task);
            }
        }

        @Override
        public EventLoopGroup parent() {
            return embedded.parent();
        }

        @Override
        public EventLoop next() {
            return this;
        }

        @Override
        public ChannelFuture register(Channel channel) {
            return embedded.register(channel);
        }

        @Override
        public ChannelFuture register(ChannelPromise promise) {
            return embedded.register(promise);
        }

        @Override
        @SuppressWarnings("deprecation")
        public ChannelFuture register(Channel channel, ChannelPromise promise) {
            return embedded.register(channel, promise);
        }

        @Override
        public io.netty.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return embedded.schedule(command, delay, unit);
        }

        @Override
        public <V> io.netty.util.concurrent.ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return embedded.schedule(callable, delay, unit);
        }

        @Override
        public io.netty.util.concurrent.ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
                long period, TimeUnit unit) {
            return embedded.scheduleAtFixedRate(command, initialDelay, period, unit);
        }

        @Override
        public io.netty.util.concurrent.ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
                long delay, TimeUnit unit) {
            return embedded.scheduleWithFixedDelay(command, initialDelay, delay, unit);
        }

        @Override
        public Ticker ticker() {
            return embedded.ticker();
        }

        @Override
        public boolean isShuttingDown() {
            return embedded.isShuttingDown();
        }

        @Override
        public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
            return embedded.shutdownGracefully(quietPeriod, timeout, unit);
        }

        @Override
        public Future<?> terminationFuture() {
            return embedded.terminationFuture();
        }

        @Override
        @SuppressWarnings("deprecation")
        public void shutdown() {
            embedded.shutdown();
        }

        @Override
        public boolean isShutdown() {
            return embedded.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return embedded.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return embedded.awaitTermination(timeout, unit);
        }
    }
}
