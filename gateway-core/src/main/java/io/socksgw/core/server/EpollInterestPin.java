package io.socksgw.core.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.Native;
import io.socksgw.core.relay.ReadCounter;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps EPOLLERR in the interest set of every epoll socket channel, so the set is never empty.
 *
 * <p>Why: Netty 4.2.18's epoll registration removes a file descriptor from the epoll set when its
 * interest set becomes empty, yet still counts it as added, so the next change fails with ENOENT
 * and the channel is closed. A half-closed tunnel side (input shut, auto-read off, nothing waiting
 * to be written) reaches an empty set routinely; its next large write then needs EPOLLOUT, fails,
 * and the tail of the stream is lost (seen in ChainConnectIT under load). EPOLLERR is reported by
 * the kernel whether asked for or not, so keeping it changes nothing else.
 *
 * <p>The channel classes are final and {@code setFlag} protected, hence reflection; if it is not
 * possible the gateway logs once and runs without the pin.
 */
@Sharable
final class EpollInterestPin extends ChannelInboundHandlerAdapter {

    static final EpollInterestPin INSTANCE = new EpollInterestPin(false);
    /** Also gives the channel a {@link ReadCounter}, which splicing needs. */
    static final EpollInterestPin COUNTING_READS = new EpollInterestPin(true);

    private static final Logger log = LoggerFactory.getLogger(EpollInterestPin.class);
    private static final Method SET_FLAG = findSetFlag();

    private final boolean countReads;

    private EpollInterestPin(boolean countReads) {
        this.countReads = countReads;
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        pin(ctx.channel());
        if (countReads) {
            ReadCounter.install(ctx.channel());
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelRegistered();
    }

    /** Pins a registered channel; must run on its event loop. No-op for other transports. */
    static void pin(Channel channel) {
        if (SET_FLAG == null || !SET_FLAG.getDeclaringClass().isInstance(channel)) {
            return;
        }
        try {
            SET_FLAG.invoke(channel, Native.EPOLLERR);
        } catch (ReflectiveOperationException e) {
            log.debug("could not pin EPOLLERR on {}", channel, e);
        }
    }

    private static Method findSetFlag() {
        try {
            // AbstractEpollChannel is package-private too.
            Class<?> epollChannel = Class.forName("io.netty.channel.epoll.AbstractEpollChannel");
            Method method = epollChannel.getDeclaredMethod("setFlag", int.class);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("Cannot keep EPOLLERR pinned on epoll channels ({}); half-closed tunnels may lose data on "
                    + "this Netty version. Use transport = nio if that matters.", e.toString());
            return null;
        }
    }
}
