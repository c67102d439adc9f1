package io.socksgw.core.socks;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.socksx.v4.DefaultSocks4CommandResponse;
import io.netty.handler.codec.socksx.v4.Socks4CommandRequest;
import io.netty.handler.codec.socksx.v4.Socks4CommandStatus;
import io.netty.handler.codec.socksx.v4.Socks4CommandType;
import io.netty.util.NetUtil;
import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.AuthResult;
import io.socksgw.api.auth.Credentials;
import io.socksgw.core.session.Session;
import io.socksgw.core.upstream.OutboundConnection;
import io.socksgw.core.upstream.PendingBind;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The server side of SOCKS4 and SOCKS4a: one request carrying the user id, one reply. A SOCKS4a
 * request (DSTIP 0.0.0.x, x != 0) has already had its domain read by Netty's decoder.
 */
final class Socks4HandshakeHandler extends HandshakeHandler {

    Socks4HandshakeHandler(Session session, SessionServices services) {
        super(session, services);
    }

    @Override
    protected void handle(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof Socks4CommandRequest request)) {
            io.netty.util.ReferenceCountUtil.release(message);
            ctx.close();
            return;
        }
        if (request.decoderResult().isFailure()) {
            failNow(Failure.ofGateway(Kind.PROTOCOL_ERROR, "bad request: " + request.decoderResult().cause().getMessage()));
            return;
        }
        Command command = request.type().equals(Socks4CommandType.CONNECT) ? Command.CONNECT
                : request.type().equals(Socks4CommandType.BIND) ? Command.BIND
                : null;
        if (command == null) {
            failNow(Failure.ofGateway(Kind.UNSUPPORTED_COMMAND,
                    String.format("unknown command 0x%02x", request.type().byteValue() & 0xff)));
            return;
        }
        SocksRequest socksRequest;
        try {
            socksRequest = toRequest(request, command);
        } catch (IllegalArgumentException e) {
            failNow(Failure.ofGateway(Kind.PROTOCOL_ERROR, "bad destination: " + e.getMessage()));
            return;
        }
        session.requested(socksRequest);
        pause();
        Credentials credentials = new Credentials.Socks4UserId(request.userId());
        String user = request.userId().isEmpty() ? Principal.ANONYMOUS_NAME : request.userId();
        EventLoopResume.onLoop(services.plugins().authentication().authenticate(session.client(), credentials),
                ctx.channel().eventLoop(), (result, error) -> {
                    if (result instanceof AuthResult.Accepted accepted) {
                        session.authenticated(accepted.principal(), AuthMethod.NO_AUTH, credentials);
                        Optional<Failure> overLimit = admitUser(accepted.principal());
                        if (overLimit.isPresent()) {
                            failNow(overLimit.get());
                            return;
                        }
                        runRequest(socksRequest, new Responder());
                    } else {
                        String why = result instanceof AuthResult.Rejected r ? r.reason() : "rejected";
                        Failure failure = Failure.ofGateway(Kind.AUTH_FAILED, why);
                        session.aborted(failure);
                        afterAuthenticationFailure(user, why, () -> failNow(failure));
                    }
                });
        stopReadingWhileWaiting();
    }

    private static SocksRequest toRequest(Socks4CommandRequest request, Command command) {
        String host = request.dstAddr();
        Destination destination = NetUtil.isValidIpV4Address(host)
                ? Destination.of(NetUtil.createInetAddressFromIpAddressString(host), request.dstPort())
                : Destination.ofDomain(host, request.dstPort());
        SocksVersion version = destination.isDomain() ? SocksVersion.SOCKS4A : SocksVersion.SOCKS4;
        Optional<String> userId = request.userId().isEmpty() ? Optional.empty() : Optional.of(request.userId());
        return new SocksRequest(version, command, destination, userId);
    }

    private void failNow(Failure failure) {
        new Responder().fail(failure);
    }

    /** SOCKS4 has one reply for every failure, a request it could not read included. */
    @Override
    protected boolean answerUndecodableRequest(Throwable cause) {
        failNow(Failure.ofGateway(Kind.PROTOCOL_ERROR, "bad request: " + cause.getMessage()));
        return true;
    }

    /** SOCKS4 replies: 0x5A granted, 0x5B for every failure. */
    private final class Responder implements RequestResponder {
        @Override
        public void succeed(OutboundConnection connection) {
            InetSocketAddress bound = connection.boundAddress();
            // SOCKS4 can only report an IPv4 address; 0.0.0.0 tells the client to use the proxy's own.
            boolean v4 = bound.getAddress() instanceof Inet4Address;
            session.resolved(connection.resolvedAddress());
            session.connected(connection.chain(), bound, (InetSocketAddress) connection.channel().remoteAddress(),
                    Socks4CommandStatus.SUCCESS.byteValue() & 0xff);
            replyAndRelay(new DefaultSocks4CommandResponse(Socks4CommandStatus.SUCCESS,
                    v4 ? bound.getAddress().getHostAddress() : "0.0.0.0", v4 ? bound.getPort() : 0), connection);
        }

        @Override
        public void fail(Failure failure) {
            Socks4CommandStatus status = ReplyCodes.socks4(failure);
            session.failed(failure, status.byteValue() & 0xff);
            replyAndClose(new DefaultSocks4CommandResponse(status));
        }

        @Override
        public void listening(PendingBind bind) {
            replyAndAwaitPeer(granted(bind.announced()));
        }

        @Override
        public void peerConnected(PendingBind bind, OutboundConnection peer) {
            InetSocketAddress from = peer.boundAddress();
            session.connected(bind.chain(), bind.announced(), from, Socks4CommandStatus.SUCCESS.byteValue() & 0xff);
            replyAndRelay(granted(from), peer);
        }

        /** 0x5A with an IPv4 address; anything else is sent as 0.0.0.0, "the proxy's own address". */
        private DefaultSocks4CommandResponse granted(InetSocketAddress address) {
            boolean v4 = !address.isUnresolved() && address.getAddress() instanceof Inet4Address;
            return new DefaultSocks4CommandResponse(Socks4CommandStatus.SUCCESS,
                    v4 ? address.getAddress().getHostAddress() : "0.0.0.0", address.getPort());
        }
    }
}
