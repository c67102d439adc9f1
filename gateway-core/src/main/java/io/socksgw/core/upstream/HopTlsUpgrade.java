package io.socksgw.core.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Future;
import io.socksgw.api.route.Hop;

/**
 * Starts TLS to a {@code socks5+tls} hop on the outbound channel, before the hop's SOCKS handshake.
 * The {@link SslHandler} goes at the end of the pipeline, behind the earlier hops' TLS layers, if any:
 * inbound bytes are decrypted outermost first and outbound ones encrypted innermost first, so a TLS
 * hop in the middle of a chain gets its own TLS session end to end through the hops before it. It
 * stays for the life of the connection; the tunnel's bytes pass through it.
 */
final class HopTlsUpgrade {

    private HopTlsUpgrade() {}

    /**
     * @param index the hop's position, which names its handler ({@code hop-tls-<index>})
     * @return the TLS handshake's outcome; the channel's connect deadline bounds it
     */
    static Future<Channel> start(Channel channel, SslContext context, Hop hop, int index) {
        // SNI and the name the certificate must carry; an IP literal is matched against IP SANs.
        String name = hop.tlsSettings().nameToVerify(hop.host());
        SslHandler tls = context.newHandler(channel.alloc(), name, hop.port());
        tls.setHandshakeTimeoutMillis(0); // the attempt's connect deadline covers the TLS handshake too
        channel.pipeline().addLast("hop-tls-" + index, tls);
        channel.pipeline().addLast("hop-tls-guard-" + index, new HandshakeGuard());
        channel.read(); // auto-read is off on outbound channels: ask for the hop's first flight
        return tls.handshakeFuture();
    }

    /**
     * Keeps a failed handshake's exception from running past the pipeline's end (the attempt reads the
     * outcome from the handshake future), and turns a FIN from the hop mid-handshake into a close: the
     * channel allows half-closure, so otherwise the handshake would wait for the deadline.
     */
    private static final class HandshakeGuard extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                ctx.pipeline().remove(this);
            } else if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
