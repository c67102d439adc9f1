package io.socksgw.core.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.socksgw.core.limits.LogThrottle;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in front of Netty's {@code HAProxyMessageDecoder} on a {@code proxy-protocol = required}
 * listener and closes, at the first byte that rules it out, a connection that does not start with a
 * PROXY header (v1 {@code "PROXY "} or the v2 signature). The decoder alone would wait for 13 bytes
 * or a line end, so a SOCKS client sent by a load balancer without {@code send-proxy} would hang
 * until the handshake deadline; here it is closed at once with a line saying why. Bytes pass through
 * untouched (the decoder accumulates them); once a prefix is certain this handler leaves.
 */
final class ProxyHeaderCheck extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ProxyHeaderCheck.class);

    private static final byte[] V1 = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final InetSocketAddress peer;
    private final String listenerName;
    private final LogThrottle problems;
    private int seen;
    private boolean maybeV1 = true;
    private boolean maybeV2 = true;
    private boolean rejected;

    ProxyHeaderCheck(InetSocketAddress peer, String listenerName, LogThrottle problems) {
        this.peer = peer;
        this.listenerName = listenerName;
        this.problems = problems;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
            byte b = buf.getByte(i);
            maybeV1 &= seen >= V1.length || V1[seen] == b;
            maybeV2 &= seen >= V2.length || V2[seen] == b;
            seen++;
            if (!maybeV1 && !maybeV2) {
                reject(ctx, buf);
                return;
            }
            if ((maybeV1 && seen >= V1.length) || (maybeV2 && seen >= V2.length)) {
                ctx.pipeline().remove(this);
                break;
            }
        }
        ctx.fireChannelRead(buf);
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf buf) {
        rejected = true;
        String start = ByteBufUtil.hexDump(buf, buf.readerIndex(), Math.min(buf.readableBytes(), 8));
        buf.release();
        long dropped = problems.tryAcquire();
        if (dropped >= 0) {
            log.warn("closing a connection from trusted proxy {} on listener '{}': it did not start with a PROXY"
                    + " protocol header (first bytes {}); does the load balancer send one (HAProxy: send-proxy or"
                    + " send-proxy-v2)?{}", peer.getAddress().getHostAddress(), listenerName, start,
                    LogThrottle.droppedNote(dropped));
        }
        ctx.close();
    }
}
