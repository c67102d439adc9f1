package io.socksgw.core.server;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the client connections open at once across all listeners; one over the cap is closed at once.
 * A reload may change the cap: connections already open stay, new ones meet the new cap.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private volatile int max;
    private final AtomicInteger open = new AtomicInteger();
    private volatile long lastWarningNanos;

    ConnectionLimiter(int max) {
        this.max = max;
    }

    /** {@code limits.max-connections} from now on. */
    void max(int max) {
        this.max = max;
    }

    int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int now = open.incrementAndGet();
        ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
        if (now > max) {
            warnAtMostEverySecond(now);
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    private void warnAtMostEverySecond(int now) {
        long t = System.nanoTime();
        if (t - lastWarningNanos > 1_000_000_000L) {
            lastWarningNanos = t;
            log.warn("connection limit reached ({} open, limits.max-connections = {}): closing new connections", now, max);
        }
    }
}
