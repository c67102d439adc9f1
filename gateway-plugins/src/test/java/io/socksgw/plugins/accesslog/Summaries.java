package io.socksgw.plugins.accesslog;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Failure;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Chain;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Session summaries for the access-log tests. */
final class Summaries {

    static final ClientInfo CLIENT = new ClientInfo(
            new InetSocketAddress("192.0.2.10", 40000), new InetSocketAddress("127.0.0.1", 1080), "main");

    private Summaries() {}

    /** A SOCKS5 CONNECT by alice to example.com:443 that connected directly and ran for 5 s. */
    static SessionSummary succeeded() {
        return withPrincipal(Principal.user("alice"));
    }

    static SessionSummary withPrincipal(Principal principal) {
        return new SessionSummary(42, CLIENT, principal,
                Optional.of(SocksRequest.of(SocksVersion.SOCKS5, Command.CONNECT, Destination.ofDomain("example.com", 443))),
                Optional.of(Chain.DIRECT), Optional.of(new InetSocketAddress("93.184.216.34", 443)),
                SessionOutcome.SUCCEEDED, 0x00, Optional.empty(), "client closed", 1234, 5678,
                Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMillis(12), Duration.ofMillis(34),
                Duration.ofMillis(5000));
    }

    /** A client that went away before sending a request. */
    static SessionSummary abortedBeforeRequest() {
        return new SessionSummary(7, CLIENT, Principal.ANONYMOUS, Optional.empty(), Optional.empty(), Optional.empty(),
                SessionOutcome.ABORTED, -1,
                Optional.of(Failure.ofGateway(Failure.Kind.HANDSHAKE_TIMEOUT, "no request within 10s")),
                "handshake timeout", 0, 0, Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMillis(10000),
                Duration.ZERO, Duration.ofMillis(10001));
    }
}
