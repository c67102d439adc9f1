package io.socksgw.core.upstream;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.socksgw.api.Failure;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopProber;
import io.socksgw.api.route.ProbeResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Probes a hop with the same connector sessions use (connect, greet, authenticate, close). */
public final class ChainHopProber implements HopProber {

    private final ChainConnector connector;
    private final EventLoopGroup loops;
    private final Duration timeout;

    public ChainHopProber(ChainConnector connector, EventLoopGroup loops, Duration timeout) {
        this.connector = connector;
        this.loops = loops;
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<ProbeResult> probe(Hop hop) {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        long start = System.nanoTime();
        if (loops.isShuttingDown()) {
            result.complete(new ProbeResult(Optional.of(Failure.ofGateway(Failure.Kind.INTERNAL, "gateway stopping")),
                    Duration.ZERO));
            return result;
        }
        connector.probe(loops.next(), hop, start + timeout.toNanos()).addListener((Future<Void> f) -> {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Optional<Failure> failure = f.isSuccess() ? Optional.empty()
                    : Optional.of(f.cause() instanceof ConnectAttemptException e ? e.failure() : ConnectFailures.ofDirect(f.cause()));
            result.complete(new ProbeResult(failure, took));
        });
        return result;
    }
}
