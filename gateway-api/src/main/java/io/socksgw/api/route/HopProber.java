package io.socksgw.api.route;

import java.util.concurrent.CompletionStage;

/**
 * Checks an upstream hop for real, with the same code the gateway uses to connect through it: opens
 * a TCP connection, negotiates the SOCKS method and authenticates with the hop's credentials, then
 * closes. Lent to plugins by {@link io.socksgw.api.PluginContext#hopProber()} for active health checks.
 */
@FunctionalInterface
public interface HopProber {

    /** Probes one hop; never completes exceptionally (a failure is in the result). */
    CompletionStage<ProbeResult> probe(Hop hop);
}
