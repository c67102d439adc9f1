package io.socksgw.core.socks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.Principal;
import io.socksgw.core.limits.ClientLimits;
import io.socksgw.core.relay.Tunnel;
import io.socksgw.core.relay.TunnelObserver;
import io.socksgw.core.session.Session;
import io.socksgw.core.udp.UdpAssociation;
import io.socksgw.core.upstream.OutboundConnection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a SOCKS4 and a SOCKS5 server handshake that is the same: messages that arrive while a
 * plugin call is in flight wait in order; bytes the client sends after its request (pipelined data)
 * are held, within a limit, until the tunnel exists; on success the codecs leave the pipeline and
 * the tunnel takes over, on failure everything held is released.
 */
abstract class HandshakeHandler extends ChannelInboundHandlerAdapter implements TunnelObserver {

    static final String DECODER = "socks-decoder";
    static final String ENCODER = "socks-encoder";
    static final String HANDSHAKE = "socks-handshake";

    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

    protected final Session session;
    protected final SessionServices services;

    private final ArrayDeque<Object> waitingMessages = new ArrayDeque<>();
    private final List<ByteBuf> earlyData = new ArrayList<>();
    private int earlyBytes;
    private boolean waiting;
    /** {@link #pause()} ran and nothing has decided about reading since (see {@link #stopReadingWhileWaiting()}). */
    private boolean stopPending;
    private boolean inputEnded;
    private boolean awaitingPeer;
    private ChannelHandlerContext ctx;

    HandshakeHandler(Session session, SessionServices services) {
        this.session = session;
        this.services = services;
    }

    /** Handles one decoded message; owns it (and must release it if it is reference counted). */
    protected abstract void handle(ChannelHandlerContext ctx, Object message);

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf data) {
            holdEarlyData(ctx, data);
        } else if (waiting) {
            waitingMessages.add(msg);
        } else {
            handle(ctx, msg);
        }
    }

    private void holdEarlyData(ChannelHandlerContext ctx, ByteBuf data) {
        earlyBytes += data.readableBytes();
        earlyData.add(data);
        if (earlyBytes > services.limits().maxPendingBytes()) {
            session.aborted(Failure.ofGateway(Kind.PROTOCOL_ERROR,
                    "client sent more than " + services.limits().maxPendingBytes() + " bytes ahead of the reply"));
            releaseHeld();
            ctx.close();
        }
    }

    /**
     * A plugin call is about to start: queue decoded messages until {@link #resume()}. Reading stops
     * only if the call is still in flight once made ({@link #stopReadingWhileWaiting()}): most calls
     * (no authentication, allow-all) complete at once, and each change of auto-read is an epoll_ctl.
     */
    protected final void pause() {
        waiting = true;
        stopPending = true;
    }

    /** The plugin call started by {@link #pause()} is under way: stop reading until it finishes. */
    protected final void stopReadingWhileWaiting() {
        if (waiting && stopPending && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(false);
        }
        stopPending = false;
    }

    /** The plugin call finished: handle queued messages, then read again. */
    protected final void resume() {
        waiting = false;
        stopPending = false;
        while (!waiting && !waitingMessages.isEmpty() && ctx.channel().isActive()) {
            handle(ctx, waitingMessages.poll());
        }
        if (waiting || !ctx.channel().isActive()) {
            return;
        }
        if (inputEnded) {
            // Nothing more will come: without a full request the handshake cannot finish.
            if (!session.requestReceived()) {
                closeAfterEarlyEof(ctx);
            }
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * The client shut its output (half-close). Before its request is complete that ends the session
     * at once, freeing its slot; after it, the FIN waits for the tunnel, which passes it on.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputEnded = true;
            if (awaitingPeer) {
                // Between a BIND's replies a FIN cannot be told from leaving; waiting on would keep the
                // port open for nobody until the accept timeout.
                session.aborted(Failure.ofGateway(Kind.CLOSED, "client closed while waiting for the BIND peer"));
                releaseHeld();
                ctx.close();
            } else if (!waiting && !session.requestReceived()) {
                closeAfterEarlyEof(ctx);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void closeAfterEarlyEof(ChannelHandlerContext ctx) {
        session.aborted(Failure.ofGateway(Kind.CLOSED, "client closed during the handshake"));
        releaseHeld();
        ctx.close();
    }

    /** Replaces the current decoder with the one for the next handshake step. */
    protected final void nextDecoder(ChannelHandler decoder) {
        ctx.pipeline().replace(DECODER, DECODER, decoder);
    }

    /**
     * The authenticators refused the client: the failure counts against its address (towards a ban),
     * and {@code reply} (which answers and closes) runs once the throttle's delay has passed, on the
     * event loop, never blocking it. The channel stays paused meanwhile.
     *
     * @param user the name the client presented ("-" when none); logged, so never a password
     */
    protected final void afterAuthenticationFailure(String user, String reason, Runnable reply) {
        Duration delay = services.clientLimits().authenticationFailed(
                session.client().remoteAddress().getAddress(), user, reason);
        if (delay.isZero()) {
            reply.run();
            return;
        }
        ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                reply.run();
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Takes one of the authenticated user's session slots ({@code limits.max-sessions-per-user}),
     * held until the connection closes.
     *
     * @return the failure to report when the user already holds all its slots, else empty
     */
    protected final Optional<Failure> admitUser(Principal principal) {
        if (principal.isAnonymous()) {
            return Optional.empty();
        }
        ClientLimits limits = services.clientLimits();
        if (!limits.acquireUser(principal.name())) {
            return Optional.of(Failure.ofGateway(Kind.DENIED, "limits.max-sessions-per-user ("
                    + limits.maxSessionsPerUser() + ") reached for user '" + principal.name() + "'"));
        }
        ctx.channel().closeFuture().addListener(f -> limits.releaseUser(principal.name()));
        return Optional.empty();
    }

    /** Runs the common request flow; {@code responder} writes this dialect's replies. */
    protected final void runRequest(io.socksgw.api.SocksRequest request, RequestResponder responder) {
        session.requested(request);
        pause();
        new RequestFlow(ctx.channel(), session, services, responder).run(request);
        stopReadingWhileWaiting();
    }

    /** Writes the failure reply, then closes. */
    protected final void replyAndClose(Object reply) {
        releaseHeld();
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Writes the success reply, removes the SOCKS codecs and this handler, and opens the tunnel with
     * whatever the client sent ahead.
     */
    protected final void replyAndRelay(Object reply, OutboundConnection connection) {
        stopPending = false;
        awaitingPeer = false;
        Channel client = ctx.channel();
        ChannelPipeline pipeline = ctx.pipeline();
        // The encoder turns the reply into bytes inside this call, so it can leave right after.
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        // Removing the decoder hands its unread bytes to channelRead above, into earlyData.
        pipeline.remove(DECODER);
        pipeline.remove(ENCODER);
        List<ByteBuf> ahead = new ArrayList<>(earlyData);
        earlyData.clear();
        earlyBytes = 0;
        pipeline.remove(this);
        Tunnel.open(client, connection.channel(), services.timeouts().idle(), services.timeouts().finWait(), ahead,
                this);
    }

    /**
     * BIND's first reply: written while the codecs stay (the second reply needs the encoder), then the
     * client is read again so that its leaving is noticed; bytes it sends meanwhile are held for the
     * tunnel, within the pending-bytes limit.
     */
    protected final void replyAndAwaitPeer(Object reply) {
        stopPending = false;
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        awaitingPeer = true;
        if (inputEnded) {
            userEventTriggered(ctx, ChannelInputShutdownEvent.INSTANCE);
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * UDP ASSOCIATE's reply: the codecs and this handler leave, and the connection only holds the
     * association open from now on (what the client sends on it is discarded; its end ends the
     * association).
     */
    protected final void replyAndHoldAssociation(Object reply, UdpAssociation association) {
        stopPending = false;
        Channel client = ctx.channel();
        ChannelPipeline pipeline = ctx.pipeline();
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        pipeline.remove(DECODER);
        pipeline.remove(ENCODER);
        pipeline.remove(this); // releases what the client sent ahead: nothing travels on this connection
        pipeline.addLast("udp-control", association.controlHandler());
        if (inputEnded) {
            association.close("client closed");
        } else {
            client.config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.aborted(Failure.ofGateway(Kind.CLOSED, "client closed during the handshake"));
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("session {}: handshake error", session.id(), cause);
        // A decoder may throw instead of reporting a failure (Netty's SOCKS4 decoder does for names
        // IDN rejects): the client still gets the protocol's error reply where it has one.
        if (!session.requestReceived() && answerUndecodableRequest(cause)) {
            return;
        }
        session.aborted(Failure.ofGateway(Kind.INTERNAL, String.valueOf(cause.getMessage())));
        releaseHeld();
        ctx.close();
    }

    /** Answers a request the decoder could not read; false when the dialect has no reply for it. */
    protected boolean answerUndecodableRequest(Throwable cause) {
        return false;
    }

    private void releaseHeld() {
        for (Object message : waitingMessages) {
            ReferenceCountUtil.release(message);
        }
        waitingMessages.clear();
        for (ByteBuf data : earlyData) {
            data.release();
        }
        earlyData.clear();
        earlyBytes = 0;
    }

    // TunnelObserver: the tunnel reports into the session this handshake started.

    @Override
    public void bytesFromClient(long count) {
        session.addBytesFromClient(count);
    }

    @Override
    public void bytesToClient(long count) {
        session.addBytesToClient(count);
    }

    @Override
    public void closing(String reason) {
        session.closeReason(reason);
    }

    @Override
    public void closingByDefault(String reason) {
        session.defaultCloseReason(reason);
    }
}
