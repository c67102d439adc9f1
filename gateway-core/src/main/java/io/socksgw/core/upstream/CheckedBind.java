package io.socksgw.core.upstream;

import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.socksgw.api.Destination;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.access.Decision;
import io.socksgw.api.route.Chain;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A listening BIND with its rules applied, the same for every way of listening: the peer must come
 * within the accept timeout, match the expected address when the dialect asks for one (SOCKS4), and
 * pass the access policies (phase BIND_PEER). Whatever fails, the listening socket or hop connection
 * and any peer are closed.
 */
final class CheckedBind implements PendingBind {

    private final EventLoop loop;
    private final PendingBind inner;
    private final BindRequest request;
    private final AddressResolverGroup<InetSocketAddress> resolvers;
    private final Promise<OutboundConnection> peer;
    private final ScheduledFuture<?> timer;

    CheckedBind(EventLoop loop, PendingBind inner, BindRequest request, AddressResolverGroup<InetSocketAddress> resolvers) {
        this.loop = loop;
        this.inner = inner;
        this.request = request;
        this.resolvers = resolvers;
        this.peer = loop.newPromise();
        long timeout = request.acceptTimeout().toNanos();
        this.timer = loop.schedule(() -> fail(Failure.ofGateway(Kind.TIMED_OUT, "no incoming connection within "
                + request.acceptTimeout().toMillis() + " ms")), timeout, TimeUnit.NANOSECONDS);
        peer.addListener(f -> {
            timer.cancel(false);
            if (!f.isSuccess()) {
                inner.cancel();
            }
        });
        inner.peer().addListener((Future<OutboundConnection> f) -> {
            if (f.isSuccess()) {
                check(f.getNow());
            } else {
                peer.tryFailure(f.cause());
            }
        });
    }

    private void check(OutboundConnection connection) {
        if (peer.isDone()) {
            connection.channel().close();
            return;
        }
        InetSocketAddress address = connection.boundAddress();
        if (request.expectedPeer().isEmpty()) {
            askPolicies(connection, address);
            return;
        }
        Destination expected = request.expectedPeer().get();
        if (!expected.isDomain()) {
            matchExpected(connection, address, List.of(expected.address()));
            return;
        }
        resolvers.getResolver(loop).resolveAll(expected.toSocketAddress()).addListener(
                (Future<List<InetSocketAddress>> resolved) -> {
                    if (!resolved.isSuccess()) {
                        reject(connection, Failure.ofGateway(Kind.DNS_FAILURE, "cannot resolve the expected peer "
                                + expected.host() + ": " + resolved.cause().getMessage()));
                        return;
                    }
                    matchExpected(connection, address, resolved.getNow().stream().map(InetSocketAddress::getAddress).toList());
                });
    }

    private void matchExpected(OutboundConnection connection, InetSocketAddress address, List<InetAddress> expected) {
        boolean matches = !address.isUnresolved() && expected.contains(address.getAddress());
        if (!matches) {
            reject(connection, Failure.ofGateway(Kind.DENIED, "peer " + describe(address)
                    + " is not the expected " + request.request().destination().host()));
            return;
        }
        askPolicies(connection, address);
    }

    private void askPolicies(OutboundConnection connection, InetSocketAddress address) {
        request.peerCheck().check(address).whenComplete((decision, error) -> loop.execute(() -> {
            if (error != null || decision.verdict() != Decision.Verdict.ALLOW) {
                String why = error != null ? "access check failed" : decision.rule() + ": " + decision.reason();
                reject(connection, Failure.ofGateway(Kind.DENIED, "peer " + describe(address) + " denied by " + why));
                return;
            }
            if (!peer.trySuccess(connection)) {
                connection.channel().close();
            }
        }));
    }

    private void reject(OutboundConnection connection, Failure failure) {
        connection.channel().close();
        fail(failure);
    }

    private void fail(Failure failure) {
        peer.tryFailure(new ConnectAttemptException(failure));
    }

    private static String describe(InetSocketAddress address) {
        return address.isUnresolved() ? address.getHostString() + ":" + address.getPort()
                : address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    @Override
    public Chain chain() {
        return inner.chain();
    }

    @Override
    public InetSocketAddress announced() {
        return inner.announced();
    }

    @Override
    public Future<OutboundConnection> peer() {
        return peer;
    }

    @Override
    public void cancel() {
        fail(Failure.ofGateway(Kind.CLOSED, "BIND given up"));
    }
}
