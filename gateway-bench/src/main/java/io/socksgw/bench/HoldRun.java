package io.socksgw.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Idle tunnels: opens {@code count} tunnels to the echo port ({@code concurrency} handshakes at a
 * time), each proven end to end by one echoed byte, then leaves them idle and measures the target's
 * memory: before opening, and after all are open and a settle pause. Then closes them all.
 */
final class HoldRun {

    record Result(int requested, int held, long failures, String firstError, long memoryBeforeKiB,
            long memoryHoldingKiB, String memoryKind, double setupSeconds) {

        double kibPerTunnel() {
            return held > 0 && memoryBeforeKiB > 0 ? (double) (memoryHoldingKiB - memoryBeforeKiB) / held : Double.NaN;
        }
    }

    private final TunnelOpener opener;
    private final ByteBuf oneByte;

    HoldRun(TunnelOpener opener, ByteBuf oneByte) {
        this.opener = opener;
        this.oneByte = oneByte;
    }

    Result run(Target target, InetSocketAddress echo, int count, int concurrency, long settleMillis, long deadlineMillis)
            throws InterruptedException {
        // Let whatever the previous run left (closing sockets, garbage) go first.
        Thread.sleep(settleMillis);
        long before = target.pids().isEmpty() ? 0 : ProcessStats.memoryKiB(target.pids());
        ConcurrentLinkedQueue<Channel> held = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(concurrency);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        int started = 0;
        try {
            while (started < count && System.nanoTime() < deadline) {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                started++;
                openOne(target, echo).addListener(f -> {
                    if (f.isSuccess()) {
                        held.add((Channel) f.getNow());
                    } else {
                        failures.incrementAndGet();
                        firstError.compareAndSet(null, String.valueOf(f.cause()));
                    }
                    inFlight.release();
                });
            }
            // Wait for the stragglers, bounded by the deadline.
            while (!inFlight.tryAcquire(concurrency, 100, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
            double setupSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(settleMillis);
            long holding = target.pids().isEmpty() ? 0 : ProcessStats.memoryKiB(target.pids());
            String kind = target.pids().isEmpty() ? "-" : ProcessStats.memoryKind(target.pids());
            int alive = (int) held.stream().filter(Channel::isActive).count();
            return new Result(count, alive, failures.get() + (held.size() - alive), firstError.get(), before, holding,
                    kind, setupSeconds);
        } finally {
            for (Channel ch : held) {
                ch.close();
            }
            for (Channel ch : held) {
                ch.closeFuture().await(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A tunnel that has echoed one byte. */
    private io.netty.util.concurrent.Future<Channel> openOne(Target target, InetSocketAddress echo) {
        Promise<Channel> proven = ImmediateEventExecutor.INSTANCE.newPromise();
        opener.open(target, echo).addListener(f -> {
            if (!f.isSuccess()) {
                proven.tryFailure(f.cause());
                return;
            }
            Channel ch = (Channel) f.getNow();
            ch.pipeline().addLast("hold", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ((ByteBuf) msg).release();
                    proven.trySuccess(ch);
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    proven.tryFailure(new IllegalStateException("closed before the echo"));
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    proven.tryFailure(cause);
                    ctx.close();
                }
            });
            ch.writeAndFlush(oneByte.retainedDuplicate(), ch.voidPromise());
        });
        return proven;
    }
}
