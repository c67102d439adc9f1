package io.socksgw.core.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds bytes the destination sent right behind the last hop's reply (a server banner, say) until
 * the tunnel is in place; when removed it passes them on, in order, to the relay behind it.
 */
public final class EarlyDataBuffer extends ChannelInboundHandlerAdapter {

    /** The pipeline name the tunnel looks for. */
    public static final String NAME = "early-data";

    private final List<ByteBuf> held = new ArrayList<>();

    void hold(ByteBuf data) {
        held.add(data);
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /** Drops what is held (the session failed before a tunnel could take it). */
    void releaseAll() {
        held.forEach(ByteBuf::release);
        held.clear();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf data) {
            held.add(data);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held.isEmpty()) {
            return;
        }
        List<ByteBuf> out = new ArrayList<>(held);
        held.clear();
        if (ctx.channel().isActive()) {
            for (ByteBuf data : out) {
                ctx.fireChannelRead(data);
            }
            ctx.fireChannelReadComplete();
        } else {
            out.forEach(ByteBuf::release);
        }
    }
}
