package io.socksgw.core.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.core.session.Session;
import io.socksgw.core.tls.ClientCertificates;
import io.socksgw.core.tls.TlsFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right behind a TLS listener's {@code SslHandler} until the client's TLS handshake ends: a
 * failure (plain text on a TLS port, an untrusted or missing client certificate, no shared version)
 * ends the session with its reason and closes the connection; success records the client's verified
 * certificate, if it sent one, in the session ({@code ClientInfo.clientCertificate}) and leaves the
 * pipeline. Without
 * it a failed handshake's exception would reach the SOCKS handlers, which expect SOCKS errors.
 */
final class TlsHandshakeOutcome extends ChannelInboundHandlerAdapter {

    static final String NAME = "tls-outcome";
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeOutcome.class);

    private final Session session;
    private final String listenerName;
    private boolean failed;

    TlsHandshakeOutcome(Session session, String listenerName) {
        this.session = session;
        this.listenerName = listenerName;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                SslHandler tls = ctx.pipeline().get(SslHandler.class);
                if (tls != null) {
                    ClientCertificates.of(tls.engine().getSession()).ifPresent(session::certificateVerified);
                }
                ctx.pipeline().remove(this);
            } else {
                fail(ctx, done.cause());
                return;
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Before the handshake ends every exception is the handshake's; the completion event follows or
        // came first, and the first report wins.
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) {
            return;
        }
        failed = true;
        String reason = "TLS handshake with the client failed: " + TlsFailures.describe(cause);
        log.debug("listener '{}': {} ({})", listenerName, reason, ctx.channel().remoteAddress());
        session.aborted(Failure.ofGateway(Kind.TLS_FAILED, reason));
        session.closeReason("TLS handshake failed");
        ctx.close();
    }
}
