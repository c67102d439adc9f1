package io.socksgw.core.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.SocketChannel;
import io.socksgw.core.config.GatewayConfig.SpliceChoice;
import io.socksgw.core.config.GatewayConfig.TransportChoice;
import io.socksgw.core.server.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tunnels between real native epoll sockets, as the gateway makes them: a listener whose connections
 * are joined to an outbound connection to a plain-socket destination by {@link Tunnel#open}.
 */
class SpliceRelayTest {

    private Transport transport;
    private ServerSocket destination;
    private Channel listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "splice-test");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<Channel> relayClientSide = new CompletableFuture<>();
    private final Observer observer = new Observer();
    private long spliceAfter = Tunnel.SPLICE_AFTER_BYTES;
    private Duration finWait = Duration.ofSeconds(30);

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Epoll.isAvailable(), "native epoll");
        destination = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        destination.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() throws IOException {
        threads.shutdownNow();
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (transport != null) {
            transport.close();
        }
        if (destination != null) {
            destination.close();
        }
    }

    private InetSocketAddress listen(SpliceChoice splice, Duration idle) {
        transport = Transport.create(TransportChoice.EPOLL, 1, splice);
        InetSocketAddress target = (InetSocketAddress) destination.getLocalSocketAddress();
        listener = new ServerBootstrap()
                .group(transport.acceptGroup(), transport.ioGroup())
                .channel(transport.serverChannelType())
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        transport.prepareStreamChannel(client);
                        // As the gateway does: EPOLLERR pinned (a Netty epoll bug, see EpollInterestPin).
                        client.pipeline().addLast(transport.outboundChannelHandler());
                        client.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.pipeline().remove(this);
                                connect(client, target, idle);
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
        return (InetSocketAddress) listener.localAddress();
    }

    private void connect(Channel client, InetSocketAddress target, Duration idle) {
        new Bootstrap().group(client.eventLoop()).channel(transport.socketChannelType())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(transport.outboundChannelHandler())
                .connect(target).addListener(f -> {
                    Channel outbound = ((io.netty.channel.ChannelFuture) f).channel();
                    if (!f.isSuccess()) {
                        client.close();
                        return;
                    }
                    Tunnel.open(client, outbound, idle, finWait, List.of(), observer, spliceAfter);
                    relayClientSide.complete(client);
                });
    }

    @Test
    void copiesAtFirstAndSplicesOnceTheTunnelMovedAMebibyte() throws Exception {
        InetSocketAddress address = listen(SpliceChoice.AUTO, Duration.ofMinutes(1));
        try (Socket socket = new Socket(address.getAddress(), address.getPort());
                Socket served = destination.accept()) {
            Channel client = relayClientSide.get(5, TimeUnit.SECONDS);
            byte[] small = random(1000, 3);
            socket.getOutputStream().write(small);
            assertThat(served.getInputStream().readNBytes(small.length)).isEqualTo(small);
            assertThat(relayOf(client)).isInstanceOf(RelayHandler.class);

            byte[] big = random((int) Tunnel.SPLICE_AFTER_BYTES, 4);
            Future<?> writing = threads.submit(() -> {
                socket.getOutputStream().write(big);
                return null;
            });
            assertThat(served.getInputStream().readNBytes(big.length)).isEqualTo(big);
            writing.get(10, TimeUnit.SECONDS);

            assertThat(relayOf(client)).isNotInstanceOf(RelayHandler.class);
            assertThat(client.eventLoop().submit(() -> client.pipeline().get("idle")).get()).isNull();
            // And still relays, now spliced, both ways.
            served.getOutputStream().write(small);
            assertThat(socket.getInputStream().readNBytes(small.length)).isEqualTo(small);
            // Counted at the end of the read burst, which may come just after the bytes arrived.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(observer.fromClient.get()).isEqualTo(small.length + big.length);
                assertThat(observer.toClient.get()).isEqualTo(small.length);
            });
        }
    }

    @Test
    void copiesWhenSpliceIsOff() throws Exception {
        spliceAfter = 1;
        InetSocketAddress address = listen(SpliceChoice.OFF, Duration.ofMinutes(1));
        try (Socket socket = new Socket(address.getAddress(), address.getPort());
                Socket served = destination.accept()) {
            Channel client = relayClientSide.get(5, TimeUnit.SECONDS);
            socket.getOutputStream().write(new byte[4096]);
            served.getInputStream().readNBytes(4096);
            assertThat(relayOf(client)).isInstanceOf(RelayHandler.class);
        }
    }

    private static Object relayOf(Channel channel) throws Exception {
        return channel.eventLoop().submit(() -> channel.pipeline().get("relay")).get(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "splicing after {0} bytes")
    @ValueSource(longs = {1, Tunnel.SPLICE_AFTER_BYTES})
    void everyByteEachWayArrivesAndIsCountedThenTheFinsPassInTurn(long threshold) throws Exception {
        spliceAfter = threshold;
        InetSocketAddress address = listen(SpliceChoice.AUTO, Duration.ofMinutes(1));
        byte[] up = random(6 * 1024 * 1024, 1);
        byte[] down = random(5 * 1024 * 1024 + 17, 2);
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            Future<byte[]> atDestination = threads.submit(() -> {
                try (Socket served = destination.accept()) {
                    // A slow reader first: the pipe fills, splicing pauses, and the client's FIN comes in
                    // while bytes still wait in the gateway's socket.
                    InputStream in = served.getInputStream();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    byte[] buffer = new byte[4096];
                    int n;
                    int reads = 0;
                    while ((n = in.read(buffer)) >= 0) {
                        got.write(buffer, 0, n);
                        if (++reads < 200) {
                            Thread.sleep(2);
                        }
                    }
                    // The client's FIN arrived after all its bytes; this direction is still open.
                    OutputStream out = served.getOutputStream();
                    out.write(down);
                    served.shutdownOutput();
                    return got.toByteArray();
                }
            });
            Future<?> writing = threads.submit(() -> {
                socket.getOutputStream().write(up);
                socket.shutdownOutput();
                return null;
            });

            byte[] back;
            try {
                back = socket.getInputStream().readAllBytes();
            } catch (IOException e) {
                Thread.sleep(500);
                throw new AssertionError("tunnel ended: " + observer.closed.getNow("open") + ", up "
                        + observer.fromClient + ", down " + observer.toClient, e);
            }

            writing.get(20, TimeUnit.SECONDS);
            assertThat(atDestination.get(20, TimeUnit.SECONDS)).isEqualTo(up);
            assertThat(back).isEqualTo(down);
        }
        assertThat(observer.closed.get(10, TimeUnit.SECONDS)).isEqualTo("destination closed");
        assertThat(observer.fromClient.get()).isEqualTo(up.length);
        assertThat(observer.toClient.get()).isEqualTo(down.length);
    }

    @Test
    void anIdleTunnelClosesButABusyOneOutlivesTheIdleTimeout() throws Exception {
        spliceAfter = 1;
        InetSocketAddress address = listen(SpliceChoice.AUTO, Duration.ofMillis(600));
        try (Socket socket = new Socket(address.getAddress(), address.getPort());
                Socket served = destination.accept()) {
            Channel client = relayClientSide.get(5, TimeUnit.SECONDS);
            socket.getOutputStream().write(7);
            assertThat(served.getInputStream().read()).isEqualTo(7);
            assertThat(relayOf(client)).isNotInstanceOf(RelayHandler.class);
            // Busy for three idle timeouts: one byte every 100 ms.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1800);
            while (System.nanoTime() < until) {
                socket.getOutputStream().write(7);
                assertThat(served.getInputStream().read()).isEqualTo(7);
                Thread.sleep(100);
            }
            assertThat(observer.closed).isNotDone();

            assertThat(observer.closed.get(5, TimeUnit.SECONDS)).isEqualTo("idle timeout");
            socket.setSoTimeout(5_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aHalfCloseNeverCompletedClosesBothAtTheFinWaitTimeout() throws Exception {
        spliceAfter = 1;
        finWait = Duration.ofMillis(700);
        InetSocketAddress address = listen(SpliceChoice.AUTO, Duration.ofMinutes(1));
        try (Socket socket = new Socket(address.getAddress(), address.getPort());
                Socket served = destination.accept()) {
            Channel client = relayClientSide.get(5, TimeUnit.SECONDS);
            socket.getOutputStream().write(7);
            assertThat(served.getInputStream().read()).isEqualTo(7);
            assertThat(relayOf(client)).isNotInstanceOf(RelayHandler.class);

            long start = System.nanoTime();
            socket.shutdownOutput(); // the destination reads the FIN and never answers nor closes
            served.setSoTimeout(5_000);
            assertThat(served.getInputStream().read()).isEqualTo(-1);

            assertThat(observer.closed.get(5, TimeUnit.SECONDS)).isEqualTo("fin-wait timeout");
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMs).isBetween(finWait.toMillis() - 50, finWait.toMillis() + 1_000);
            socket.setSoTimeout(5_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void theDestinationClosingClosesTheClient() throws Exception {
        spliceAfter = 1;
        InetSocketAddress address = listen(SpliceChoice.AUTO, Duration.ofMinutes(1));
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            try (Socket served = destination.accept()) {
                Channel client = relayClientSide.get(5, TimeUnit.SECONDS);
                socket.getOutputStream().write(7);
                assertThat(served.getInputStream().read()).isEqualTo(7);
                assertThat(relayOf(client)).isNotInstanceOf(RelayHandler.class);
                served.setSoLinger(true, 0); // a reset, not a FIN
            }
            socket.setSoTimeout(5_000);
            try {
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            } catch (IOException reset) {
                // a reset passed on is as good as a close
            }
        }
        assertThat(observer.closed.get(5, TimeUnit.SECONDS)).startsWith("destination");
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static final class Observer implements TunnelObserver {
        final AtomicLong fromClient = new AtomicLong();
        final AtomicLong toClient = new AtomicLong();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public void bytesFromClient(long count) {
            fromClient.addAndGet(count);
        }

        @Override
        public void bytesToClient(long count) {
            toClient.addAndGet(count);
        }

        @Override
        public void closing(String reason) {
            closed.complete(reason);
        }
    }
}
