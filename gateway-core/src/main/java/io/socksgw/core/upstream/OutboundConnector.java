package io.socksgw.core.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connects a request along its route: tries each candidate chain in order until one connects, within
 * one overall connect timeout, and reports every attempt.
 */
public final class OutboundConnector implements Connector {

    private final DirectConnector direct;
    private final Duration connectTimeout;

    public OutboundConnector(DirectConnector direct, Duration connectTimeout) {
        this.direct = direct;
        this.connectTimeout = connectTimeout;
    }

    /**
     * @return the first connection that succeeded; fails with {@link ConnectAttemptException} carrying
     *     the last candidate's failure
     */
    @Override
    public Future<OutboundConnection> connect(EventLoop loop, Route route, SocksRequest request,
            ResolvedAddressCheck check, AttemptObserver observer) {
        Promise<OutboundConnection> result = loop.newPromise();
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        ScheduledFuture<?> timer = loop.schedule(() -> {
            result.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.TIMED_OUT,
                    "no candidate connected within " + connectTimeout.toMillis() + " ms")));
        }, connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
        result.addListener(f -> timer.cancel(false));
        attempt(loop, route.candidates(), 0, request, check, observer, deadline, result);
        return result;
    }

    private void attempt(EventLoop loop, List<Chain> candidates, int index, SocksRequest request,
            ResolvedAddressCheck check, AttemptObserver observer, long deadline, Promise<OutboundConnection> result) {
        Chain chain = candidates.get(index);
        Future<OutboundConnection> attempt = connectVia(loop, chain, request, check, deadline);
        attempt.addListener((Future<OutboundConnection> f) -> {
            if (f.isSuccess()) {
                OutboundConnection connection = f.getNow();
                if (result.trySuccess(connection)) {
                    observer.succeeded(chain);
                } else {
                    connection.channel().close(); // timed out meanwhile, or the client left
                }
                return;
            }
            Failure failure = f.cause() instanceof ConnectAttemptException e
                    ? e.failure()
                    : ConnectFailures.ofDirect(f.cause());
            observer.failed(chain, failure);
            boolean retryable = failure.kind() != Kind.DENIED;
            if (retryable && index + 1 < candidates.size() && !result.isDone() && System.nanoTime() < deadline) {
                attempt(loop, candidates, index + 1, request, check, observer, deadline, result);
            } else {
                result.tryFailure(new ConnectAttemptException(failure));
            }
        });
    }

    private Future<OutboundConnection> connectVia(EventLoop loop, Chain chain, SocksRequest request,
            ResolvedAddressCheck check, long deadline) {
        if (chain.isDirect()) {
            return direct.connect(loop, request.destination(), check, deadline);
        }
        // Upstream chains land with the chaining work (issue 3); until then a chained route fails clearly.
        return loop.newFailedFuture(new ConnectAttemptException(Failure.ofGateway(Kind.INTERNAL,
                "chain '" + chain.name() + "': upstream chains are not supported by this build")));
    }
}
