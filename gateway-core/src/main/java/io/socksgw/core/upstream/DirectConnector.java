package io.socksgw.core.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.socksgw.api.Destination;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.route.Chain;
import io.socksgw.core.server.Transport;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Connects straight to a destination: resolves a name with the asynchronous resolver, lets the access
 * policies see the resolved address, then connects to exactly that address (so a second lookup cannot
 * swap it), all on the client's event loop.
 */
public final class DirectConnector {

    private final Transport transport;
    private final AddressResolverGroup<InetSocketAddress> resolvers;
    private final WriteBufferWaterMark waterMark;

    /** @param waterMark {@code limits.write-buffer} (the relay's backpressure) */
    public DirectConnector(Transport transport, AddressResolverGroup<InetSocketAddress> resolvers,
            WriteBufferWaterMark waterMark) {
        this.transport = transport;
        this.resolvers = resolvers;
        this.waterMark = waterMark;
    }

    /**
     * @param deadlineNanos {@link System#nanoTime()} by which the connection must be up
     * @return fails with {@link ConnectAttemptException}
     */
    public Future<OutboundConnection> connect(EventLoop loop, Destination destination, ResolvedAddressCheck check,
            long deadlineNanos) {
        Promise<OutboundConnection> promise = loop.newPromise();
        if (destination.isDomain()) {
            resolvers.getResolver(loop).resolve(destination.toSocketAddress()).addListener(
                    (Future<InetSocketAddress> resolved) -> {
                        if (resolved.isSuccess()) {
                            authorizeAndConnect(loop, resolved.getNow(), check, deadlineNanos, promise);
                        } else {
                            promise.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.DNS_FAILURE,
                                    "cannot resolve " + destination.host() + ": " + resolved.cause().getMessage())));
                        }
                    });
        } else {
            authorizeAndConnect(loop, destination.toSocketAddress(), check, deadlineNanos, promise);
        }
        return promise;
    }

    private void authorizeAndConnect(EventLoop loop, InetSocketAddress address, ResolvedAddressCheck check,
            long deadlineNanos, Promise<OutboundConnection> promise) {
        if (address.getAddress().isAnyLocalAddress() || address.getPort() == 0) {
            promise.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.HOST_UNREACHABLE,
                    "unspecified destination " + address)));
            return;
        }
        check.check(address).whenComplete((decision, error) -> loop.execute(() -> {
            if (error != null || !decision.isDecisive() || decision.verdict() != io.socksgw.api.access.Decision.Verdict.ALLOW) {
                String why = error != null ? "access check failed" : decision.reason();
                promise.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.DENIED,
                        "resolved address " + address.getAddress().getHostAddress() + " denied: " + why)));
                return;
            }
            connect(loop, address, deadlineNanos, promise);
        }));
    }

    private void connect(EventLoop loop, InetSocketAddress address, long deadlineNanos,
            Promise<OutboundConnection> promise) {
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remainingMillis <= 0 || promise.isDone()) {
            promise.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.TIMED_OUT, "connect timeout")));
            return;
        }
        ChannelFuture connecting = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, remainingMillis))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .handler(transport.outboundChannelHandler())
                .connect(address);
        // Abandoned (the client left): a connect still waiting for the SYN-ACK is given up at once.
        promise.addListener(f -> {
            if (f.isCancelled()) {
                connecting.channel().close();
            }
        });
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                promise.tryFailure(new ConnectAttemptException(ConnectFailures.ofDirect(f.cause())));
                return;
            }
            Channel channel = f.channel();
            OutboundConnection connection = new OutboundConnection(channel, Chain.DIRECT,
                    (InetSocketAddress) channel.localAddress(), address);
            if (!promise.trySuccess(connection)) {
                channel.close(); // the attempt was abandoned (deadline, client gone)
            }
        });
    }
}
