package io.socksgw.core.upstream;

import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import io.socksgw.core.server.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Connects a request along its route: tries each candidate chain in order until one connects, within
 * one overall connect timeout shared fairly among the candidates, and reports every attempt. The same
 * for a CONNECT, for the listening half of a BIND and for the hops of a UDP association.
 */
public final class OutboundConnector implements Connector {

    private static final long CANDIDATE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final DirectConnector direct;
    private final DirectBinder binder;
    private final ChainConnector chains;
    private final AddressResolverGroup<InetSocketAddress> resolvers;
    private final Duration connectTimeout;

    /** A connector on {@code transport}, resolving names with {@code resolvers}. */
    public OutboundConnector(Transport transport, AddressResolverGroup<InetSocketAddress> resolvers, ChainConnector chains,
            Duration connectTimeout) {
        // Water marks are process-wide, like the listeners' child options: the chain connector holds them.
        this.direct = new DirectConnector(transport, resolvers, chains.waterMark());
        this.binder = new DirectBinder(transport);
        this.chains = chains;
        this.resolvers = resolvers;
        this.connectTimeout = connectTimeout;
    }

    /**
     * @return the first connection that succeeded; fails with {@link ConnectAttemptException} carrying
     *     the last candidate's failure. Cancelling it abandons the attempt in flight and closes its socket.
     */
    @Override
    public Future<OutboundConnection> connect(EventLoop loop, Route route, ConnectRequest request) {
        return firstOf(loop, route, request.observer(), (chain, deadline) -> chain.isDirect()
                ? direct.connect(loop, request.request().destination(), request.check(), deadline)
                : chains.connect(loop, chain, request.request(), request.clientCredentials(), request.check(), deadline),
                connection -> connection.channel().close());
    }

    /**
     * Starts a BIND along the route: the first candidate that listens (here, or at a chain's last hop)
     * wins, within the connect timeout. Its peer then must arrive within the request's accept timeout
     * and pass the expected-peer rule and the access policies.
     */
    @Override
    public Future<PendingBind> bind(EventLoop loop, Route route, BindRequest request) {
        Future<PendingBind> listening = firstOf(loop, route, request.observer(), (chain, deadline) -> chain.isDirect()
                ? binder.listen(loop, request.listenAddress())
                : chains.bind(loop, chain, request.request(), request.clientCredentials(), deadline),
                PendingBind::cancel);
        Promise<PendingBind> checked = loop.newPromise();
        listening.addListener((Future<PendingBind> f) -> {
            if (f.isSuccess()) {
                checked.trySuccess(new CheckedBind(loop, f.getNow(), request, resolvers));
            } else {
                checked.tryFailure(f.cause());
            }
        });
        return checked;
    }

    /**
     * Prepares the way out of a UDP association: nothing for a direct route, an association at every
     * hop for a chain.
     */
    @Override
    public Future<UdpPath> associate(EventLoop loop, Route route, ConnectRequest request) {
        return firstOf(loop, route, request.observer(), (chain, deadline) -> chain.isDirect()
                ? loop.newSucceededFuture(UdpPath.DIRECT)
                : chains.associate(loop, chain, request.clientCredentials(), deadline),
                UdpPath::close);
    }

    /** One try of one candidate chain by {@code deadlineNanos}. */
    private interface CandidateAttempt<T> {
        Future<T> attempt(Chain chain, long deadlineNanos);
    }

    /**
     * Tries the route's candidates in order within one overall connect timeout, the first success
     * winning; a success that comes too late is {@code discard}ed.
     */
    private <T> Future<T> firstOf(EventLoop loop, Route route, AttemptObserver observer, CandidateAttempt<T> attempt,
            Consumer<T> discard) {
        Promise<T> result = loop.newPromise();
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        ScheduledFuture<?> timer = loop.schedule(() -> {
            result.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.TIMED_OUT,
                    "no candidate connected within " + connectTimeout.toMillis() + " ms")));
        }, connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
        result.addListener(f -> timer.cancel(false));
        // Candidates give up a little before the catch-all timer (kept for steps without a deadline of
        // their own, such as an access check), so that their own failure, which names the silent hop,
        // is the one reported; at exactly the same deadline either timer could run first.
        attempt(route.candidates(), 0, observer, attempt, discard, deadline - CANDIDATE_MARGIN_NANOS, result);
        return result;
    }

    private <T> void attempt(List<Chain> candidates, int index, AttemptObserver observer, CandidateAttempt<T> attempt,
            Consumer<T> discard, long deadline, Promise<T> result) {
        Chain chain = candidates.get(index);
        // Each candidate gets an equal share of what is left, so a silent one cannot use up the time
        // of those behind it; the last gets all that remains.
        long now = System.nanoTime();
        long attemptDeadline = now + (deadline - now) / (candidates.size() - index);
        Future<T> inFlight = attempt.attempt(chain, attemptDeadline);
        // The client left (the caller cancelled): give up the attempt now, sockets and all, rather
        // than at its deadline.
        result.addListener(r -> {
            if (r.isCancelled()) {
                inFlight.cancel(false);
            }
        });
        inFlight.addListener((Future<T> f) -> {
            if (f.isCancelled()) {
                return; // not the candidate's failure: nothing to report or retry
            }
            if (f.isSuccess()) {
                T outcome = f.getNow();
                if (result.trySuccess(outcome)) {
                    observer.succeeded(chain);
                } else {
                    discard.accept(outcome); // timed out meanwhile, or the client left
                }
                return;
            }
            Failure failure = f.cause() instanceof ConnectAttemptException e
                    ? e.failure()
                    : ConnectFailures.ofDirect(f.cause());
            observer.failed(chain, failure);
            boolean retryable = isWorthAnotherCandidate(failure);
            if (retryable && index + 1 < candidates.size() && !result.isDone() && System.nanoTime() < deadline) {
                attempt(candidates, index + 1, observer, attempt, discard, deadline, result);
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
