package io.socksgw.core.session;

import io.socksgw.api.ClientCertificate;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.Failure;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.access.Decision;
import io.socksgw.api.auth.AuthMethod;
import io.socksgw.api.auth.Credentials;
import io.socksgw.api.event.ConnectAttemptFailed;
import io.socksgw.api.event.SessionAuthenticated;
import io.socksgw.api.event.SessionClosed;
import io.socksgw.api.event.SessionConnected;
import io.socksgw.api.event.SessionOpened;
import io.socksgw.api.event.SessionOutcome;
import io.socksgw.api.event.SessionRequested;
import io.socksgw.api.event.SessionRouted;
import io.socksgw.api.event.SessionSummary;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import io.socksgw.core.plugin.SessionEventDispatcher;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the gateway knows about one client connection, from accept to close, and the events it
 * publishes on the way. Touched only on the client channel's event loop (the outbound channel shares
 * that loop), so it needs no locking.
 */
public final class Session {

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private ClientInfo client;
    private final SessionEventDispatcher events;
    private final Clock clock;
    private final Instant start;
    private final long startNanos = System.nanoTime();

    private Principal principal = Principal.ANONYMOUS;
    private Credentials credentials = new Credentials.None();
    private SocksRequest request;
    private Chain chain;
    private InetSocketAddress resolvedAddress;
    private SessionOutcome outcome = SessionOutcome.ABORTED;
    private int replyCode = -1;
    private Failure failure;
    private String closeReason = "";
    private String defaultCloseReason = "";
    private long requestNanos = -1;
    private long replyNanos = -1;
    private long bytesFromClient;
    private long bytesToClient;
    private boolean closed;

    public Session(ClientInfo client, SessionEventDispatcher events, Clock clock) {
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.start = clock.instant();
        events.publish(new SessionOpened(id, start, client));
    }

    public long id() {
        return id;
    }

    public ClientInfo client() {
        return client;
    }

    /**
     * The client's TLS handshake verified {@code certificate}: from now on {@link #client()} carries
     * it (every plugin question comes after the handshake; {@code SessionOpened} came before).
     */
    public void certificateVerified(ClientCertificate certificate) {
        this.client = client.withClientCertificate(certificate);
    }

    public Principal principal() {
        return principal;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** Whether the client's request has been fully read (the handshake deadline no longer applies). */
    public boolean requestReceived() {
        return request != null;
    }

    /**
     * The client authenticated. Its credentials are kept (in memory, for this session only) for hops
     * that pass them through; they are never logged or published.
     */
    public void authenticated(Principal who, AuthMethod method, Credentials presented) {
        this.principal = who;
        this.credentials = presented;
        events.publish(new SessionAuthenticated(id, clock.instant(), who, method));
    }

    /** The request has been read; the first call marks the end of the handshake. */
    public void requested(SocksRequest decoded) {
        if (request == null) {
            this.requestNanos = System.nanoTime();
        }
        this.request = decoded;
    }

    public void authorized(Decision decision) {
        events.publish(new SessionRequested(id, clock.instant(), request, decision));
    }

    public void routed(Route route) {
        events.publish(new SessionRouted(id, clock.instant(), route));
    }

    public void attemptFailed(Chain candidate, Failure why) {
        events.publish(new ConnectAttemptFailed(id, clock.instant(), candidate, why));
    }

    public void resolved(InetSocketAddress address) {
        this.resolvedAddress = address;
    }

    /** The request succeeded: the success reply {@code code} with {@code bound} is on its way to the client. */
    public void connected(Chain via, InetSocketAddress bound, InetSocketAddress remote, int code) {
        this.chain = via;
        this.outcome = SessionOutcome.SUCCEEDED;
        this.replyCode = code;
        this.replyNanos = System.nanoTime();
        events.publish(new SessionConnected(id, clock.instant(), via, bound, remote));
    }

    /** The request failed and {@code code} was (or will be) replied. */
    public void failed(Failure why, int code) {
        this.failure = why;
        this.outcome = SessionOutcome.FAILED;
        this.replyCode = code;
        this.replyNanos = System.nanoTime();
    }

    /** The connection is being dropped without a reply (garbage, timeout, client gone). */
    public void aborted(Failure why) {
        if (failure == null && outcome == SessionOutcome.ABORTED) {
            this.failure = why;
        }
    }

    public void addBytesFromClient(long count) {
        bytesFromClient += count;
    }

    public void addBytesToClient(long count) {
        bytesToClient += count;
    }

    /** Records why the connection ends; the first reason given wins. */
    public void closeReason(String reason) {
        if (closeReason.isEmpty()) {
            closeReason = reason;
        }
    }

    /** Why the connection ends unless {@link #closeReason} is given one first. */
    public void defaultCloseReason(String reason) {
        defaultCloseReason = reason;
    }

    /** The client connection closed: publish the summary once. */
    public void closed() {
        if (closed) {
            return;
        }
        closed = true;
        long now = System.nanoTime();
        if (closeReason.isEmpty()) {
            closeReason = !defaultCloseReason.isEmpty() ? defaultCloseReason
                    : outcome == SessionOutcome.SUCCEEDED ? "closed" : "client closed";
        }
        long handshakeEnd = requestNanos >= 0 ? requestNanos : now;
        long connectEnd = replyNanos >= 0 ? replyNanos : now;
        SessionSummary summary = new SessionSummary(id, client, principal, Optional.ofNullable(request),
                Optional.ofNullable(chain), Optional.ofNullable(resolvedAddress), outcome, replyCode,
                Optional.ofNullable(failure), closeReason, bytesFromClient, bytesToClient, start,
                Duration.ofNanos(handshakeEnd - startNanos),
                Duration.ofNanos(requestNanos >= 0 ? connectEnd - requestNanos : 0),
                Duration.ofNanos(now - startNanos));
        events.publish(new SessionClosed(id, clock.instant(), summary));
    }
}
