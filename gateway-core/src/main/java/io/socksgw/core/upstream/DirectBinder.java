package io.socksgw.core.upstream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.route.Chain;
import io.socksgw.core.server.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Serves a BIND here: listens on an ephemeral port of the given address, on the client's event loop,
 * and takes exactly one connection; the listening socket closes at the first one (or when the wait
 * is given up), so it never outlives the BIND.
 */
public final class DirectBinder {

    private final Transport transport;

    public DirectBinder(Transport transport) {
        this.transport = transport;
    }

    /** @return the bind listening; fails with {@link ConnectAttemptException} if no port can be opened */
    public Future<PendingBind> listen(EventLoop loop, InetAddress address) {
        Promise<PendingBind> listening = loop.newPromise();
        Listener listener = new Listener(loop.newPromise());
        ChannelFuture bound = new ServerBootstrap()
                .group(loop, loop)
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1)
                .handler(listener)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(transport.outboundChannelHandler())
                .bind(new InetSocketAddress(address, 0));
        bound.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                listener.server = f.channel();
                listener.announced = (InetSocketAddress) f.channel().localAddress();
                if (!listening.trySuccess(listener)) {
                    f.channel().close();
                }
            } else {
                f.channel().close();
                listening.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.INTERNAL,
                        "cannot listen on " + address.getHostAddress() + ": " + f.cause().getMessage())));
            }
        });
        return listening;
    }

    /**
     * Sits in the listening channel's pipeline ahead of Netty's acceptor: sees each accepted channel
     * first, lets the acceptor register the first one, closes the listener, and turns away the rest.
     */
    private static final class Listener extends ChannelInboundHandlerAdapter implements PendingBind {
        private final Promise<OutboundConnection> peer;
        private Channel server;
        private InetSocketAddress announced;

        Listener(Promise<OutboundConnection> peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel child = (Channel) msg;
            // The acceptor registers it on this loop (inline), with the child options set.
            ctx.fireChannelRead(child);
            ctx.channel().close();
            if (peer.isDone()) {
                child.close(); // a second connection in the same accept batch, or after the wait ended
                return;
            }
            InetSocketAddress remote = (InetSocketAddress) child.remoteAddress();
            if (remote == null || !child.isActive()) {
                child.close();
                peer.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.CLOSED,
                        "the incoming connection closed at once")));
                return;
            }
            if (!peer.trySuccess(new OutboundConnection(child, Chain.DIRECT, remote, null))) {
                child.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Accept errors (out of descriptors, say) end this BIND rather than spin.
            peer.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.INTERNAL,
                    "accepting the incoming connection failed: " + cause.getMessage())));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peer.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.CLOSED, "listening socket closed")));
            ctx.fireChannelInactive();
        }

        @Override
        public Chain chain() {
            return Chain.DIRECT;
        }

        @Override
        public InetSocketAddress announced() {
            return announced;
        }

        @Override
        public Future<OutboundConnection> peer() {
            return peer;
        }

        @Override
        public void cancel() {
            server.close();
            if (peer.isSuccess()) {
                return; // handed over: the tunnel owns it now
            }
            peer.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.CLOSED, "BIND given up")));
        }
    }
}
