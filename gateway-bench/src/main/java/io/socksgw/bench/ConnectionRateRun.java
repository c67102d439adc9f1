package io.socksgw.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Connection rate: {@code workers} loops, each connecting, doing the SOCKS5 handshake and CONNECT to
 * the echo port, sending 64 bytes, reading them back and closing, then starting over at once. The
 * latency of one loop runs from the connect call to the last echoed byte. Only loops that start and
 * end inside the measured window count.
 */
final class ConnectionRateRun {

    static final int PAYLOAD = 64;
    private static final long OP_TIMEOUT_MILLIS = 10_000;

    record Result(double connectionsPerSecond, double p50Millis, double p99Millis, double p999Millis, long completed,
            long errors, String firstError, double targetCpuSeconds, double selfCpuSeconds, double serverCpuSeconds,
            double targetJitCpuSeconds) {

        /** The target's CPU per connection completed in the window, JIT compiler threads left out, in µs. */
        double targetMicrosPerConnection() {
            return completed == 0 ? 0 : (targetCpuSeconds - targetJitCpuSeconds) * 1e6 / completed;
        }
    }

    private final TunnelOpener opener;
    private final ByteBuf payload;
    private final List<Long> serverPids;

    ConnectionRateRun(TunnelOpener opener, ByteBuf payload, List<Long> serverPids) {
        this.opener = opener;
        this.payload = payload;
        this.serverPids = serverPids;
    }

    Result run(Target target, InetSocketAddress echo, int workers, long warmupMillis, long measureMillis)
            throws InterruptedException {
        Window window = new Window();
        CountDownLatch stopped = new CountDownLatch(workers);
        List<Worker> all = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Worker worker = new Worker(target, echo, window, stopped);
            all.add(worker);
            worker.next();
        }
        Thread.sleep(warmupMillis);
        double targetCpuBefore = ProcessStats.cpuSeconds(target.pids());
        double targetJitBefore = ProcessStats.compilerCpuSeconds(target.pids());
        double selfCpuBefore = ProcessStats.cpuSecondsSelf();
        double serverCpuBefore = ProcessStats.cpuSeconds(serverPids);
        window.start = System.nanoTime();
        Thread.sleep(measureMillis);
        window.end = System.nanoTime();
        double targetCpu = ProcessStats.cpuSeconds(target.pids()) - targetCpuBefore;
        double targetJit = ProcessStats.compilerCpuSeconds(target.pids()) - targetJitBefore;
        double selfCpu = ProcessStats.cpuSecondsSelf() - selfCpuBefore;
        double serverCpu = ProcessStats.cpuSeconds(serverPids) - serverCpuBefore;
        window.stopping = true;
        if (!stopped.await(OP_TIMEOUT_MILLIS + 5_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("connection-rate workers did not stop through " + target.name());
        }
        Histogram merged = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long completed = 0;
        long errors = 0;
        String firstError = null;
        for (Worker worker : all) {
            merged.add(worker.latencies);
            completed += worker.completed;
            errors += worker.errors;
            if (firstError == null) {
                firstError = worker.firstError;
            }
        }
        double seconds = (window.end - window.start) / 1e9;
        return new Result(completed / seconds, merged.getValueAtPercentile(50) / 1e6,
                merged.getValueAtPercentile(99) / 1e6, merged.getValueAtPercentile(99.9) / 1e6, completed, errors,
                firstError, targetCpu, selfCpu, serverCpu, targetJit);
    }

    /** The measured window; {@code start} is 0 during the warm-up. */
    private static final class Window {
        volatile long start;
        volatile long end = Long.MAX_VALUE;
        volatile boolean stopping;

        boolean counts(long begin, long finish) {
            long s = start;
            return s != 0 && begin >= s && finish <= end;
        }
    }

    /**
     * One loop. Its steps run on whichever event loop each connection got, strictly one after the
     * other (each starts from the previous one's completion), so its plain fields need no locks.
     */
    private final class Worker {
        private final Target target;
        private final InetSocketAddress echo;
        private final Window window;
        private final CountDownLatch stopped;
        final Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long completed;
        long errors;
        String firstError;
        private final AtomicLong generation = new AtomicLong();

        Worker(Target target, InetSocketAddress echo, Window window, CountDownLatch stopped) {
            this.target = target;
            this.echo = echo;
            this.window = window;
            this.stopped = stopped;
        }

        void next() {
            if (window.stopping) {
                stopped.countDown();
                return;
            }
            long begin = System.nanoTime();
            long op = generation.incrementAndGet();
            opener.open(target, echo).addListener(f -> {
                if (!f.isSuccess()) {
                    failed(begin, f.cause());
                    return;
                }
                Channel ch = (Channel) f.getNow();
                ScheduledFuture<?> timeout = ch.eventLoop().schedule(() -> {
                    if (generation.get() == op && ch.isOpen()) {
                        ch.pipeline().fireExceptionCaught(new IllegalStateException("no echo within "
                                + OP_TIMEOUT_MILLIS + " ms"));
                    }
                }, OP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                ch.pipeline().addLast("echo-once", new EchoOnce(begin, timeout));
                ch.writeAndFlush(payload.retainedDuplicate(), ch.voidPromise());
            });
        }

        private void failed(long begin, Throwable cause) {
            if (window.counts(begin, System.nanoTime())) {
                errors++;
            }
            if (firstError == null) {
                firstError = String.valueOf(cause);
            }
            next();
        }

        private final class EchoOnce extends ChannelInboundHandlerAdapter {
            private final long begin;
            private final ScheduledFuture<?> timeout;
            private int received;
            private boolean done;

            EchoOnce(long begin, ScheduledFuture<?> timeout) {
                this.begin = begin;
                this.timeout = timeout;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                received += buf.readableBytes();
                buf.release();
                if (received >= PAYLOAD && !done) {
                    done = true;
                    long finish = System.nanoTime();
                    timeout.cancel(false);
                    if (window.counts(begin, finish)) {
                        latencies.recordValue(Math.min(finish - begin, latencies.getHighestTrackableValue()));
                        completed++;
                    }
                    ctx.close().addListener(c -> next());
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (!done) {
                    done = true;
                    timeout.cancel(false);
                    failed(begin, new IllegalStateException("closed after " + received + " of " + PAYLOAD + " bytes"));
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (!done) {
                    done = true;
                    timeout.cancel(false);
                    ctx.close();
                    failed(begin, cause);
                }
            }
        }
    }
}
