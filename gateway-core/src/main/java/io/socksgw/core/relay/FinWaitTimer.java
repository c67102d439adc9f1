package io.socksgw.core.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The inactivity timer of a half-closed tunnel: once one side's FIN has been passed on, the client's
 * idle timer is replaced by this shorter one, so a peer that never finishes its half cannot hold both
 * sockets (ours in CLOSE_WAIT or FIN_WAIT_2) for the whole idle timeout. Bytes still moving the other
 * way keep it from firing, as they keep the idle timer from firing; a long download behind a client's
 * early FIN goes on.
 */
final class FinWaitTimer extends IdleStateHandler {

    /** Fired on the client channel instead of an {@link IdleStateEvent}. */
    static final Object EXPIRED = new Object() {
        @Override
        public String toString() {
            return "fin-wait expired";
        }
    };

    static final String NAME = "idle";

    private FinWaitTimer(Duration finWait) {
        super(0, 0, finWait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The timer a tunnel starts with: {@code idle} without a byte either way. */
    static IdleStateHandler idle(Duration idle) {
        return new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Swaps the client's idle timer for the fin-wait one, counting from now; a second call (the other
     * direction ending too) or a fin-wait no shorter than the idle timeout leaves things as they are.
     */
    static void start(Channel client, Duration finWait, Duration idle) {
        if (finWait.compareTo(idle) >= 0 || !client.isOpen()) {
            return;
        }
        Object current = client.pipeline().get(NAME);
        if (current instanceof IdleStateHandler && !(current instanceof FinWaitTimer)) {
            client.pipeline().replace(NAME, NAME, new FinWaitTimer(finWait));
        }
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.fireUserEventTriggered(EXPIRED);
    }
}
