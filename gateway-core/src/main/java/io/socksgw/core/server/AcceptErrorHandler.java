package io.socksgw.core.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.socksgw.core.limits.LogThrottle;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on a listening socket's pipeline, ahead of Netty's acceptor, and takes what {@code accept()}
 * throws. Out of file descriptors (EMFILE, ENFILE) the pending connection stays in the kernel's
 * queue, so accepting again at once fails again at once: a spinning accept thread. So it stops
 * accepting for {@link #PAUSE}, then tries again (the connections wait in the backlog meanwhile),
 * counts every failure and logs them at most once per {@link #LOG_EVERY}. The error goes no further:
 * Netty's acceptor would only pause the same way, and its pipeline tail log one warning per failure.
 */
final class AcceptErrorHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AcceptErrorHandler.class);

    /** Long enough that a loop of failed accepts costs nothing, short enough to resume soon after fds free up. */
    static final Duration PAUSE = Duration.ofSeconds(1);
    static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private final String listener;
    private final AtomicLong failures;
    private final LogThrottle throttle = new LogThrottle(1.0 / LOG_EVERY.toSeconds(), 1);
    /** Read now: at the fd limit, nothing that may open a file (class loading included) can run. */
    private final String fdLimit = describeFdLimit();
    private Runnable resume;

    /** @param failures counts accept failures (shared by the server's listeners) */
    AcceptErrorHandler(String listener, AtomicLong failures) {
        this.listener = listener;
        this.failures = failures;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        // Built before it is needed, for the same reason as fdLimit (see netty/netty#1328).
        resume = () -> {
            if (channel.isOpen()) {
                channel.config().setAutoRead(true);
            }
        };
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failures.incrementAndGet();
        Channel channel = ctx.channel();
        boolean pausing = channel.config().isAutoRead();
        if (pausing) {
            channel.config().setAutoRead(false);
            channel.eventLoop().schedule(resume, PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        }
        long dropped = throttle.tryAcquire();
        if (dropped < 0) {
            return;
        }
        String why = outOfDescriptors(cause) ? "too many open files (" + fdLimit + ")" : String.valueOf(cause);
        log.warn("cannot accept on listener '{}': {}; pausing accepts for {}s{}", listener, why, PAUSE.toSeconds(),
                dropped > 0 ? " (" + dropped + " more accept failure(s) since the last line)" : "");
    }

    /** EMFILE ("Too many open files") or ENFILE ("Too many open files in system"), as NIO and epoll word them. */
    static boolean outOfDescriptors(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("Too many open files")) {
                return true;
            }
        }
        return false;
    }

    private static String describeFdLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return "ulimit -n " + unix.getMaxFileDescriptorCount();
        }
        return "the process's open-file limit";
    }
}
