package io.socksgw.core.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connects a request along its route: tries each candidate chain in order until one connects, within
 * one overall connect timeout shared fairly among the candidates, and reports every attempt.
 */
public final class OutboundConnector implements Connector {

    private static final long CANDIDATE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final DirectConnector direct;
    private final ChainConnector chains;
    private final Duration connectTimeout;

    public OutboundConnector(DirectConnector direct, ChainConnector chains, Duration connectTimeout) {
        this.direct = direct;
        this.chains = chains;
        this.connectTimeout = connectTimeout;
    }

    /**
     * @return the first connection that succeeded; fails with {@link ConnectAttemptException} carrying
     *     the last candidate's failure
     */
    @Override
    public Future<OutboundConnection> connect(EventLoop loop, Route route, ConnectRequest request) {
        Promise<OutboundConnection> result = loop.newPromise();
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        ScheduledFuture<?> timer = loop.schedule(() -> {
            result.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.TIMED_OUT,
                    "no candidate connected within " + connectTimeout.toMillis() + " ms")));
        }, connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
        result.addListener(f -> timer.cancel(false));
        // Candidates give up a little before the catch-all timer (kept for steps without a deadline of
        // their own, such as an access check), so that their own failure, which names the silent hop,
        // is the one reported; at exactly the same deadline either timer could run first.
        attempt(loop, route.candidates(), 0, request, deadline - CANDIDATE_MARGIN_NANOS, result);
        return result;
    }

    private void attempt(EventLoop loop, List<Chain> candidates, int index, ConnectRequest request, long deadline,
            Promise<OutboundConnection> result) {
        Chain chain = candidates.get(index);
        AttemptObserver observer = request.observer();
        // Each candidate gets an equal share of what is left, so a silent one cannot use up the time
        // of those behind it; the last gets all that remains.
        long now = System.nanoTime();
        long attemptDeadline = now + (deadline - now) / (candidates.size() - index);
        Future<OutboundConnection> attempt = chain.isDirect()
                ? direct.connect(loop, request.request().destination(), request.check(), attemptDeadline)
                : chains.connect(loop, chain, request.request(), request.clientCredentials(), request.check(),
                        attemptDeadline);
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
            boolean retryable = isWorthAnotherCandidate(failure);
            if (retryable && index + 1 < candidates.size() && !result.isDone() && System.nanoTime() < deadline) {
                attempt(loop, candidates, index + 1, request, deadline, result);
            } else {
                result.tryFailure(new ConnectAttemptException(failure));
            }
        });
    }

    /**
     * A hop or a direct connection failing is worth trying the next candidate for; a denial, an
     * address no chain can carry, or the destination itself refusing (reported by a last hop) is not.
     */
    private static boolean isWorthAnotherCandidate(Failure failure) {
        if (failure.isAtHop()) {
            return true;
        }
        boolean destinationAnswered = failure.hopReplyCode() >= 0;
        return !destinationAnswered && failure.kind() != Kind.DENIED && failure.kind() != Kind.UNSUPPORTED_ADDRESS_TYPE
                && failure.kind() != Kind.DNS_FAILURE;
    }
}
