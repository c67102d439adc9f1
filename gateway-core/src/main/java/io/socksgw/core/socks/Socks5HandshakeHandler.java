package io.socksgw.core.socks;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
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
import io.socksgw.core.udp.UdpAssociation;
import io.socksgw.core.upstream.OutboundConnection;
import io.socksgw.core.upstream.PendingBind;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The server side of RFC 1928 (and RFC 1929): method selection, optional username/password,
 * then the request. Netty's decoders read the wire (but see {@link Rfc1929RequestDecoder}).
 */
final class Socks5HandshakeHandler extends HandshakeHandler {

    Socks5HandshakeHandler(Session session, SessionServices services) {
        super(session, services);
    }

    @Override
    protected void handle(ChannelHandlerContext ctx, Object message) {
        if (message instanceof Socks5InitialRequest greeting) {
            onGreeting(ctx, greeting);
        } else if (message instanceof Socks5PasswordAuthRequest login) {
            onLogin(ctx, login);
        } else if (message instanceof Socks5CommandRequest request) {
            onRequest(request);
        } else {
            io.netty.util.ReferenceCountUtil.release(message);
            ctx.close();
        }
    }

    private void onGreeting(ChannelHandlerContext ctx, Socks5InitialRequest greeting) {
        if (greeting.decoderResult().isFailure()) {
            // NMETHODS = 0 lands here: nothing the client offers can be acceptable.
            refuseMethods("bad greeting: " + greeting.decoderResult().cause().getMessage());
            return;
        }
        Set<Integer> offered = new HashSet<>();
        for (Socks5AuthMethod method : greeting.authMethods()) {
            offered.add(method.byteValue() & 0xff);
        }
        Optional<AuthMethod> chosen = services.plugins().authentication().select(offered);
        if (chosen.isEmpty()) {
            refuseMethods("no acceptable authentication method among " + offered);
            return;
        }
        AuthMethod method = chosen.get();
        if (method.equals(AuthMethod.USERNAME_PASSWORD)) {
            nextDecoder(new Rfc1929RequestDecoder());
            ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.PASSWORD));
            return;
        }
        // No credentials to read: the chain still decides (by client address, say) before we answer.
        // Pause first: the new decoder may decode a pipelined request at once, and it must wait.
        pause();
        nextDecoder(new Socks5CommandRequestDecoder(ValidatingSocks5AddressDecoder.INSTANCE));
        EventLoopResume.onLoop(services.plugins().authentication().authenticate(session.client(), new Credentials.None()),
                ctx.channel().eventLoop(), (result, error) -> {
                    if (result instanceof AuthResult.Accepted accepted) {
                        session.authenticated(accepted.principal(), method, new Credentials.None());
                        Optional<Failure> overLimit = admitUser(accepted.principal());
                        if (overLimit.isPresent()) {
                            session.aborted(overLimit.get());
                            replyAndClose(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED));
                            return;
                        }
                        ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.valueOf((byte) method.code())));
                        resume();
                    } else {
                        String why = reason(result);
                        session.aborted(Failure.ofGateway(Kind.AUTH_FAILED, why));
                        afterAuthenticationFailure(Principal.ANONYMOUS_NAME, why, () -> refuseMethods(why));
                    }
                });
        stopReadingWhileWaiting();
    }

    private void refuseMethods(String why) {
        session.aborted(Failure.ofGateway(Kind.AUTH_FAILED, why));
        replyAndClose(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED));
    }

    private void onLogin(ChannelHandlerContext ctx, Socks5PasswordAuthRequest login) {
        if (login.decoderResult().isFailure()) {
            session.aborted(Failure.ofGateway(Kind.PROTOCOL_ERROR, login.decoderResult().cause().getMessage()));
            replyAndClose(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE));
            return;
        }
        // Pause first: replacing the decoder hands it the bytes behind the login, and a pipelined
        // request decoded from them must wait for the verdict on the credentials.
        pause();
        nextDecoder(new Socks5CommandRequestDecoder(ValidatingSocks5AddressDecoder.INSTANCE));
        String user = login.username();
        Credentials credentials = new Credentials.UsernamePassword(user, login.password());
        EventLoopResume.onLoop(services.plugins().authentication().authenticate(session.client(), credentials),
                ctx.channel().eventLoop(), (result, error) -> {
                    if (result instanceof AuthResult.Accepted accepted) {
                        session.authenticated(accepted.principal(), AuthMethod.USERNAME_PASSWORD, credentials);
                        Optional<Failure> overLimit = admitUser(accepted.principal());
                        if (overLimit.isPresent()) {
                            session.aborted(overLimit.get());
                            replyAndClose(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE));
                            return;
                        }
                        ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
                        resume();
                    } else {
                        String why = reason(result);
                        session.aborted(Failure.ofGateway(Kind.AUTH_FAILED, why));
                        afterAuthenticationFailure(user, why, () -> replyAndClose(
                                new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE)));
                    }
                });
        stopReadingWhileWaiting();
    }

    private void onRequest(Socks5CommandRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            Throwable cause = decoded.cause().getCause() != null ? decoded.cause().getCause() : decoded.cause();
            Failure failure = cause instanceof ValidatingSocks5AddressDecoder.UnsupportedAddressTypeException
                    ? Failure.ofGateway(Kind.UNSUPPORTED_ADDRESS_TYPE, cause.getMessage())
                    : Failure.ofGateway(Kind.PROTOCOL_ERROR, "bad request: " + cause.getMessage());
            failNow(failure);
            return;
        }
        Command command = command(request.type());
        if (command == null) {
            failNow(Failure.ofGateway(Kind.UNSUPPORTED_COMMAND,
                    String.format("unknown command 0x%02x", request.type().byteValue() & 0xff)));
            return;
        }
        Destination destination;
        try {
            destination = destination(request);
        } catch (IllegalArgumentException e) {
            failNow(Failure.ofGateway(Kind.PROTOCOL_ERROR, "bad destination: " + e.getMessage()));
            return;
        }
        runRequest(SocksRequest.of(SocksVersion.SOCKS5, command, destination), new Responder());
    }

    private void failNow(Failure failure) {
        new Responder().fail(failure);
    }

    private static Command command(Socks5CommandType type) {
        if (type.equals(Socks5CommandType.CONNECT)) {
            return Command.CONNECT;
        } else if (type.equals(Socks5CommandType.BIND)) {
            return Command.BIND;
        } else if (type.equals(Socks5CommandType.UDP_ASSOCIATE)) {
            return Command.UDP_ASSOCIATE;
        }
        return null;
    }

    private static Destination destination(Socks5CommandRequest request) {
        if (request.dstAddrType().equals(Socks5AddressType.DOMAIN)) {
            return Destination.ofDomain(request.dstAddr(), request.dstPort());
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(request.dstAddr());
        if (address == null) {
            throw new IllegalArgumentException("not an IP address: " + request.dstAddr());
        }
        return Destination.of(address, request.dstPort());
    }

    private static String reason(AuthResult result) {
        return result instanceof AuthResult.Rejected rejected ? rejected.reason() : "rejected";
    }

    /** Replies in RFC 1928 section 6 format. */
    private final class Responder implements RequestResponder {
        @Override
        public void succeed(OutboundConnection connection) {
            InetSocketAddress bound = connection.boundAddress();
            Socks5AddressType type = bound.getAddress() instanceof Inet6Address ? Socks5AddressType.IPv6 : Socks5AddressType.IPv4;
            session.resolved(connection.resolvedAddress());
            session.connected(connection.chain(), bound, (InetSocketAddress) connection.channel().remoteAddress(),
                    Socks5CommandStatus.SUCCESS.byteValue() & 0xff);
            replyAndRelay(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, type,
                    bound.getAddress().getHostAddress(), bound.getPort()), connection);
        }

        @Override
        public void fail(Failure failure) {
            Socks5CommandStatus status = ReplyCodes.socks5(failure);
            session.failed(failure, status.byteValue() & 0xff);
            replyAndClose(new DefaultSocks5CommandResponse(status, Socks5AddressType.IPv4, "0.0.0.0", 0));
        }

        @Override
        public void listening(PendingBind bind) {
            replyAndAwaitPeer(success(bind.announced()));
        }

        @Override
        public void peerConnected(PendingBind bind, OutboundConnection peer) {
            InetSocketAddress from = peer.boundAddress();
            session.connected(bind.chain(), bind.announced(), from, Socks5CommandStatus.SUCCESS.byteValue() & 0xff);
            replyAndRelay(success(from), peer);
        }

        @Override
        public void associated(UdpAssociation association) {
            InetSocketAddress relay = association.relayAddress();
            session.connected(association.path().chain(), relay, association.outsideAddress(),
                    Socks5CommandStatus.SUCCESS.byteValue() & 0xff);
            replyAndHoldAssociation(success(relay), association);
        }

        /** A success reply naming {@code address}: by IP, or by name when a hop is known by name only. */
        private DefaultSocks5CommandResponse success(InetSocketAddress address) {
            if (address.isUnresolved()) {
                return new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, Socks5AddressType.DOMAIN,
                        address.getHostString(), address.getPort());
            }
            Socks5AddressType type = address.getAddress() instanceof Inet6Address ? Socks5AddressType.IPv6
                    : Socks5AddressType.IPv4;
            return new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, type,
                    address.getAddress().getHostAddress(), address.getPort());
        }
    }
}
