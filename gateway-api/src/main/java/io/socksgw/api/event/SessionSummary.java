package io.socksgw.api.event;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Failure;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.route.Chain;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything worth logging about a finished session: one access-log line.
 *
 * @param sessionId the session's id
 * @param client where it came from
 * @param principal who it was ({@link Principal#ANONYMOUS} if it never authenticated)
 * @param request what it asked for, if it got that far
 * @param chain the chain that connected, if any
 * @param resolvedAddress the address the gateway connected to for a direct connection, if any
 * @param outcome how it ended
 * @param replyCode the SOCKS reply code sent to the client, or -1 if none was sent
 * @param failure why it failed, for {@link SessionOutcome#FAILED} and {@link SessionOutcome#ABORTED}
 * @param closeReason why the tunnel (or the connection) closed, e.g. {@code "client closed"}
 * @param bytesFromClient payload bytes relayed from the client towards the destination
 * @param bytesToClient payload bytes relayed from the destination to the client
 * @param start when the connection was accepted
 * @param handshakeTime from accept to the request being decoded
 * @param connectTime from the request being decoded to the reply being sent
 * @param totalTime from accept to close
 */
public record SessionSummary(
        long sessionId,
        ClientInfo client,
        Principal principal,
        Optional<SocksRequest> request,
        Optional<Chain> chain,
        Optional<InetSocketAddress> resolvedAddress,
        SessionOutcome outcome,
        int replyCode,
        Optional<Failure> failure,
        String closeReason,
        long bytesFromClient,
        long bytesToClient,
        Instant start,
        Duration handshakeTime,
        Duration connectTime,
        Duration totalTime) {

    public SessionSummary {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(resolvedAddress, "resolvedAddress");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(closeReason, "closeReason");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(handshakeTime, "handshakeTime");
        Objects.requireNonNull(connectTime, "connectTime");
        Objects.requireNonNull(totalTime, "totalTime");
    }
}
