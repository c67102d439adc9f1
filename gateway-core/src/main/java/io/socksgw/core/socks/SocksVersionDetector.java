package io.socksgw.core.socks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.socksx.v4.Socks4ServerDecoder;
import io.netty.handler.codec.socksx.v4.Socks4ServerEncoder;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.core.session.Session;
import java.util.List;

/**
 * Looks at the first byte and installs the SOCKS4 or SOCKS5 codec and handshake handler, then leaves
 * the pipeline (its unread bytes go to the new decoder).
 *
 * <p>Netty's {@code SocksPortUnificationServerHandler} does the same peek, but installs its handlers
 * under generated names and no handshake handler; the handshake replaces decoders by name, so the
 * few lines are ours.
 */
public final class SocksVersionDetector extends ByteToMessageDecoder {

    private final Session session;
    private final SessionServices services;

    public SocksVersionDetector(Session session, SessionServices services) {
        this.session = session;
        this.services = services;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        byte version = in.getByte(in.readerIndex());
        switch (version) {
            case 4 -> {
                pipeline.addAfter(ctx.name(), HandshakeHandler.DECODER, new Socks4ServerDecoder());
                pipeline.addAfter(HandshakeHandler.DECODER, HandshakeHandler.ENCODER, Socks4ServerEncoder.INSTANCE);
                pipeline.addAfter(HandshakeHandler.ENCODER, HandshakeHandler.HANDSHAKE,
                        new Socks4HandshakeHandler(session, services));
            }
            case 5 -> {
                pipeline.addAfter(ctx.name(), HandshakeHandler.DECODER, new Socks5InitialRequestDecoder());
                pipeline.addAfter(HandshakeHandler.DECODER, HandshakeHandler.ENCODER, Socks5ServerEncoder.DEFAULT);
                pipeline.addAfter(HandshakeHandler.ENCODER, HandshakeHandler.HANDSHAKE,
                        new Socks5HandshakeHandler(session, services));
            }
            default -> {
                // No SOCKS version has a reply for "unknown version": drop the connection.
                session.aborted(Failure.ofGateway(Kind.PROTOCOL_ERROR,
                        String.format("unknown SOCKS version byte 0x%02x", version & 0xff)));
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
        }
        pipeline.remove(this);
    }

    /** A client that half-closes before saying anything will never say anything: drop it now. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        super.userEventTriggered(ctx, evt);
        if (evt instanceof ChannelInputShutdownEvent && !ctx.isRemoved()) {
            session.aborted(Failure.ofGateway(Kind.CLOSED, "client closed before sending anything"));
            ctx.close();
        }
    }
}
