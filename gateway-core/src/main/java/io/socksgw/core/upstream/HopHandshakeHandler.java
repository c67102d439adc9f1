package io.socksgw.core.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.socksx.v4.DefaultSocks4CommandRequest;
import io.netty.handler.codec.socksx.v4.Socks4ClientDecoder;
import io.netty.handler.codec.socksx.v4.Socks4ClientEncoder;
import io.netty.handler.codec.socksx.v4.Socks4CommandResponse;
import io.netty.handler.codec.socksx.v4.Socks4CommandStatus;
import io.netty.handler.codec.socksx.v4.Socks4CommandType;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandRequest;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialRequest;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5ClientEncoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandResponse;
import io.netty.handler.codec.socksx.v5.Socks5CommandResponseDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5InitialResponseDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthResponseDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The client side of one hop's SOCKS handshake, spoken through whatever tunnel the channel already
 * carries: greeting, authentication, then CONNECT to the target (or, when probing, stop after
 * authentication). A chain's last hop may be asked to BIND instead (two replies: the first says
 * where it listens, the second who connected) or, SOCKS5 only, to UDP ASSOCIATE. Netty's client
 * codecs read and write the wire; this handler is the state machine Netty's {@code ProxyHandler}
 * would be, except that it reports the hop's exact reply code and BND.ADDR, and can stop after
 * authentication for health probes.
 *
 * <p>On success the codecs leave the pipeline; bytes that arrived behind the final reply stay in an
 * {@link EarlyDataBuffer} for the tunnel.
 */
final class HopHandshakeHandler extends ChannelInboundHandlerAdapter {

    static final String DECODER = "hop-decoder";
    static final String ENCODER = "hop-encoder";
    static final String NAME = "hop-handshake";

    private final Hop hop;
    private final HopCredentials credentials;
    private final HopTarget target;
    private final boolean lastHop;
    private final HopCommand command;
    private final Promise<InetSocketAddress> firstReply;
    private final Promise<InetSocketAddress> done;
    private final EarlyDataBuffer leftovers = new EarlyDataBuffer();
    private boolean handedOver;
    /** Inside a read: between a channelRead and its channelReadComplete. */
    private boolean reading;
    /** An inner hop's success, held until the read that carried its reply is over. */
    private InetSocketAddress succeededWith;

    /**
     * @param credentials the hop's credentials, pass-through already replaced by the client's own
     * @param target where to CONNECT, or null to stop after authentication (a probe)
     * @param lastHop whether bytes may legitimately follow the reply (only the destination sends early)
     */
    HopHandshakeHandler(Hop hop, HopCredentials credentials, HopTarget target, boolean lastHop,
            Promise<InetSocketAddress> done) {
        this(hop, credentials, target, lastHop, HopCommand.CONNECT, null, done);
    }

    /**
     * @param command what to ask of the target (BIND and UDP ASSOCIATE at a last hop only)
     * @param firstReply for BIND: completed with the first reply's BND (where the hop listens), while
     *     {@code done} waits for the second (the peer's address)
     */
    HopHandshakeHandler(Hop hop, HopCredentials credentials, HopTarget target, boolean lastHop, HopCommand command,
            Promise<InetSocketAddress> firstReply, Promise<InetSocketAddress> done) {
        if (command == HopCommand.BIND && firstReply == null) {
            throw new IllegalArgumentException("BIND needs a promise for its first reply");
        }
        this.hop = hop;
        this.credentials = credentials;
        this.target = target;
        this.lastHop = lastHop;
        this.command = command;
        this.firstReply = firstReply;
        this.done = done;
    }

    /** Installs the codecs and this handler on an active channel and sends the first message. */
    static void start(ChannelPipeline pipeline, HopHandshakeHandler handler) {
        boolean socks5 = handler.hop.protocol() == SocksVersion.SOCKS5;
        pipeline.addLast(DECODER, socks5 ? new Socks5InitialResponseDecoder() : new Socks4ClientDecoder());
        pipeline.addLast(ENCODER, socks5 ? Socks5ClientEncoder.DEFAULT : Socks4ClientEncoder.INSTANCE);
        pipeline.addLast(NAME, handler);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (hop.protocol() == SocksVersion.SOCKS5) {
            Socks5AuthMethod[] methods = credentials instanceof HopCredentials.UsernamePassword
                    ? new Socks5AuthMethod[] {Socks5AuthMethod.NO_AUTH, Socks5AuthMethod.PASSWORD}
                    : new Socks5AuthMethod[] {Socks5AuthMethod.NO_AUTH};
            send(ctx, new DefaultSocks5InitialRequest(methods));
        } else if (target == null) {
            succeed(ctx, null); // SOCKS4 has no handshake before the request: reachable is all a probe can learn
        } else {
            String userId = credentials instanceof HopCredentials.UserId id ? id.userId() : "";
            Socks4CommandType type = command == HopCommand.BIND ? Socks4CommandType.BIND : Socks4CommandType.CONNECT;
            send(ctx, new DefaultSocks4CommandRequest(type, target.host(), target.port(), userId));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        if (done.isDone()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf data) {
            // Bytes behind a reply: from the destination after the last hop, garbage anywhere else.
            leftovers.hold(data);
            if (!lastHop) {
                fail(ctx, Kind.PROTOCOL_ERROR, -1, "unexpected bytes after the reply");
            }
            return;
        }
        if (msg instanceof DecoderResultProvider decoded && decoded.decoderResult().isFailure()) {
            DecoderResult result = decoded.decoderResult();
            fail(ctx, Kind.PROTOCOL_ERROR, -1, "garbage reply: " + result.cause().getMessage());
            return;
        }
        try {
            if (msg instanceof Socks5InitialResponse response) {
                onMethodChosen(ctx, response);
            } else if (msg instanceof Socks5PasswordAuthResponse response) {
                onAuthenticated(ctx, response);
            } else if (msg instanceof Socks5CommandResponse response) {
                onSocks5Reply(ctx, response);
            } else if (msg instanceof Socks4CommandResponse response) {
                onSocks4Reply(ctx, response);
            } else {
                fail(ctx, Kind.PROTOCOL_ERROR, -1, "unexpected message " + msg.getClass().getSimpleName());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onMethodChosen(ChannelHandlerContext ctx, Socks5InitialResponse response) {
        Socks5AuthMethod method = response.authMethod();
        if (method.equals(Socks5AuthMethod.PASSWORD) && credentials instanceof HopCredentials.UsernamePassword up) {
            ctx.pipeline().replace(DECODER, DECODER, new Socks5PasswordAuthResponseDecoder());
            send(ctx, new DefaultSocks5PasswordAuthRequest(up.username(), up.password()));
        } else if (method.equals(Socks5AuthMethod.NO_AUTH)) {
            afterAuthentication(ctx);
        } else {
            fail(ctx, Kind.HOP_AUTH_FAILED, -1, "hop accepts none of our authentication methods (chose "
                    + String.format("0x%02x", method.byteValue() & 0xff) + ")");
        }
    }

    private void onAuthenticated(ChannelHandlerContext ctx, Socks5PasswordAuthResponse response) {
        if (response.status().equals(Socks5PasswordAuthStatus.SUCCESS)) {
            afterAuthentication(ctx);
        } else {
            fail(ctx, Kind.HOP_AUTH_FAILED, -1, "hop refused the username/password");
        }
    }

    private void afterAuthentication(ChannelHandlerContext ctx) {
        if (target == null) {
            succeed(ctx, null);
            return;
        }
        ctx.pipeline().replace(DECODER, DECODER, new Socks5CommandResponseDecoder());
        Socks5AddressType type = target.isDomain() ? Socks5AddressType.DOMAIN
                : NetUtil.isValidIpV4Address(target.host()) ? Socks5AddressType.IPv4 : Socks5AddressType.IPv6;
        Socks5CommandType request = switch (command) {
            case CONNECT -> Socks5CommandType.CONNECT;
            case BIND -> Socks5CommandType.BIND;
            case UDP_ASSOCIATE -> Socks5CommandType.UDP_ASSOCIATE;
        };
        send(ctx, new DefaultSocks5CommandRequest(request, type, target.host(), target.port()));
    }

    private void onSocks5Reply(ChannelHandlerContext ctx, Socks5CommandResponse response) {
        if (!response.status().equals(Socks5CommandStatus.SUCCESS)) {
            int code = response.status().byteValue() & 0xff;
            fail(ctx, HopReplies.kindOf(code), code, "hop replied " + String.format("0x%02x", code) + " to "
                    + describeRequest());
            return;
        }
        InetSocketAddress bound = socketAddress(response.bndAddr(), response.bndPort());
        if (!awaitingSecondReply(ctx, bound, new Socks5CommandResponseDecoder())) {
            succeed(ctx, bound);
        }
    }

    private void onSocks4Reply(ChannelHandlerContext ctx, Socks4CommandResponse response) {
        if (!response.status().equals(Socks4CommandStatus.SUCCESS)) {
            int code = response.status().byteValue() & 0xff;
            fail(ctx, Kind.HOP_REJECTED, code, "hop replied " + String.format("0x%02x", code) + " to " + describeRequest());
            return;
        }
        InetSocketAddress bound = socketAddress(response.dstAddr(), response.dstPort());
        if (!awaitingSecondReply(ctx, bound, new Socks4ClientDecoder())) {
            succeed(ctx, bound);
        }
    }

    /**
     * After a BIND's first reply: reports where the hop listens and waits for the second reply with a
     * fresh decoder (Netty's reply decoders pass everything through once they have decoded one).
     *
     * @return whether this was a first reply
     */
    private boolean awaitingSecondReply(ChannelHandlerContext ctx, InetSocketAddress listening,
            io.netty.channel.ChannelHandler decoder) {
        if (command != HopCommand.BIND || firstReply.isDone()) {
            return false;
        }
        // Reported first: the second reply may sit right behind it, and the new decoder hands it to
        // channelRead (re-entrantly) as soon as it replaces the old one.
        firstReply.trySuccess(listening);
        ctx.read();
        ctx.pipeline().replace(DECODER, DECODER, decoder);
        return true;
    }

    private String describeRequest() {
        return switch (command) {
            case CONNECT -> "CONNECT " + target;
            case BIND -> (firstReply.isDone() ? "BIND (second reply) " : "BIND ") + target;
            case UDP_ASSOCIATE -> "UDP ASSOCIATE";
        };
    }

    private void send(ChannelHandlerContext ctx, Object message) {
        ctx.writeAndFlush(message).addListener(f -> {
            if (!f.isSuccess()) {
                fail(ctx, Kind.CLOSED, -1, "cannot write to hop: " + f.cause().getMessage());
            }
        });
        ctx.read();
    }

    private void succeed(ChannelHandlerContext ctx, InetSocketAddress bound) {
        ChannelPipeline pipeline = ctx.pipeline();
        // The decoder's unread bytes come to channelRead above (into leftovers) as it leaves.
        removeIfPresent(pipeline, DECODER);
        removeIfPresent(pipeline, ENCODER);
        InetSocketAddress result = bound != null ? bound : (InetSocketAddress) ctx.channel().localAddress();
        if (!lastHop) {
            // Nothing may follow an inner hop's reply (nor a UDP ASSOCIATE reply), but the decoder hands
            // on what came behind it in the same read only as it leaves, after this call: so the success
            // waits for the end of that read, with this handler still in place to fail on such bytes.
            if (reading) {
                succeededWith = result;
            } else {
                pipeline.remove(this);
                done.trySuccess(result);
            }
            return;
        }
        handedOver = true;
        // Behind a last reply the buffer goes in even when empty: Netty's reply decoders hand on the
        // bytes that came with the reply only after this call, from a context already removed, whose
        // successor must be the buffer for them not to fall off the pipeline.
        pipeline.replace(this, EarlyDataBuffer.NAME, leftovers);
        done.trySuccess(result);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        InetSocketAddress bound = succeededWith;
        if (bound != null) {
            succeededWith = null;
            ctx.pipeline().remove(this);
            done.trySuccess(bound);
        }
        ctx.fireChannelReadComplete();
    }

    private static void removeIfPresent(ChannelPipeline pipeline, String name) {
        if (pipeline.get(name) != null) {
            pipeline.remove(name);
        }
    }

    private void fail(ChannelHandlerContext ctx, Kind kind, int code, String message) {
        succeededWith = null;
        if (done.tryFailure(new HopHandshakeException(kind, code, message))) {
            ctx.close();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (!handedOver) {
            leftovers.releaseAll(); // failed or abandoned: the buffer never joined the pipeline
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, Kind.CLOSED, -1, "hop closed the connection during the handshake");
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // The channel allows half-closure (for the tunnel), so a hop's FIN arrives as this event and
        // never as channelInactive: without it a hop closing mid-handshake would look silent.
        if (evt instanceof ChannelInputShutdownEvent) {
            fail(ctx, Kind.CLOSED, -1, "hop closed the connection during the handshake");
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, ConnectFailures.classify(cause), -1, String.valueOf(cause.getMessage()));
    }

    private static InetSocketAddress socketAddress(String host, int port) {
        InetAddress address = host == null ? null : NetUtil.createInetAddressFromIpAddressString(host);
        return address != null ? new InetSocketAddress(address, port) : InetSocketAddress.createUnresolved(
                host == null ? "0.0.0.0" : host, port);
    }
}
