package io.socksgw.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bulk throughput: {@code streams} connections each write one shared, pooled direct chunk over and
 * over as fast as the connection takes it (to the sink: upload; to the echo port: echo, reading back
 * everything). After a warm-up, the bytes moved in the measured window give MB/s (10^6 bytes); CPU
 * of the target's processes over the same window gives CPU-seconds per GB relayed (10^9 bytes through
 * the gateway: upload counts each byte once, echo twice, once each way).
 *
 * <p>In echo mode each stream keeps at most {@code echoWindow} bytes unanswered (written, not yet read
 * back), like a request/response stream with a window: without a bound, a relay that blocks on
 * write in both directions (microsocks) deadlocks against an echo server that applies backpressure,
 * and measures 0.
 */
final class BulkRun {

    record Result(double megabytesPerSecond, double relayedGigabytes, double targetCpuSeconds, double selfCpuSeconds,
            double serverCpuSeconds, double seconds) {

        /** CPU-seconds of the target's processes per GB they relayed (NaN for the direct baseline). */
        double cpuSecondsPerGigabyte() {
            return relayedGigabytes > 0 ? targetCpuSeconds / relayedGigabytes : Double.NaN;
        }
    }

    private final TunnelOpener opener;
    private final ByteBuf chunk;
    private final List<Long> serverPids;

    private final long echoWindow;

    BulkRun(TunnelOpener opener, ByteBuf chunk, List<Long> serverPids, long echoWindow) {
        this.opener = opener;
        this.chunk = chunk;
        this.serverPids = serverPids;
        this.echoWindow = echoWindow;
    }

    Result run(Target target, InetSocketAddress destination, boolean echo, int streams, long warmupMillis,
            long measureMillis) throws InterruptedException {
        LongAdder written = new LongAdder();
        LongAdder read = new LongAdder();
        List<Channel> channels = new ArrayList<>();
        List<Future<Channel>> opening = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            opening.add(opener.open(target, destination));
        }
        try {
            for (Future<Channel> f : opening) {
                if (!f.await(10, TimeUnit.SECONDS) || !f.isSuccess()) {
                    throw new IllegalStateException("cannot open a stream through " + target.name() + ": " + f.cause());
                }
                channels.add(f.getNow());
            }
            for (Channel ch : channels) {
                ch.eventLoop().execute(() -> {
                    Stream stream = new Stream(chunk, written, read, echo && echoWindow > 0 ? echoWindow : Long.MAX_VALUE);
                    ch.pipeline().addLast("bulk", stream);
                    stream.pump(ch);
                });
            }
            Thread.sleep(warmupMillis);
            LongAdder counted = echo ? read : written;
            long bytesBefore = counted.sum();
            double targetCpuBefore = ProcessStats.cpuSeconds(target.pids());
            double selfCpuBefore = ProcessStats.cpuSecondsSelf();
            double serverCpuBefore = ProcessStats.cpuSeconds(serverPids);
            long start = System.nanoTime();
            Thread.sleep(measureMillis);
            long bytes = counted.sum() - bytesBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            double targetCpu = ProcessStats.cpuSeconds(target.pids()) - targetCpuBefore;
            double selfCpu = ProcessStats.cpuSecondsSelf() - selfCpuBefore;
            double serverCpu = ProcessStats.cpuSeconds(serverPids) - serverCpuBefore;
            for (Channel ch : channels) {
                if (!ch.isActive()) {
                    throw new IllegalStateException("a stream through " + target.name() + " closed during the run");
                }
            }
            double relayed = (echo ? 2.0 * bytes : bytes) / 1e9;
            return new Result(bytes / 1e6 / seconds, relayed, targetCpu, selfCpu, serverCpu, seconds);
        } finally {
            for (Future<Channel> f : opening) {
                f.addListener(g -> {
                    if (g.isSuccess()) {
                        ((Channel) g.getNow()).close();
                    }
                });
            }
            for (Channel ch : channels) {
                ch.closeFuture().await(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Writes while writable, resumes when writable again, counts what it reads and drops it. */
    private static final class Stream extends ChannelInboundHandlerAdapter {
        private final ByteBuf chunk;
        private final LongAdder written;
        private final LongAdder read;
        private final long window;
        private long sent;
        private long received;

        Stream(ByteBuf chunk, LongAdder written, LongAdder read, long window) {
            this.chunk = chunk;
            this.written = written;
            this.read = read;
            this.window = window;
        }

        void pump(Channel ch) {
            int size = chunk.readableBytes();
            long queued = 0;
            while (ch.isActive() && ch.isWritable() && sent - received < window) {
                ch.write(chunk.retainedDuplicate(), ch.voidPromise());
                queued += size;
                sent += size;
            }
            if (queued > 0) {
                written.add(queued);
                ch.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                pump(ctx.channel());
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            int bytes = buf.readableBytes();
            read.add(bytes);
            received += bytes;
            buf.release();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (sent - received < window) {
                pump(ctx.channel());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
