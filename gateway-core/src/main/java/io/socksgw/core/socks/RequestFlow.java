package io.socksgw.core.socks;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.socksgw.api.Command;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessRequest;
import io.socksgw.api.access.Decision;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.RouteRequest;
import io.socksgw.api.route.Router;
import io.socksgw.api.Destination;
import io.socksgw.api.SocksVersion;
import io.socksgw.core.config.CommandScope;
import io.socksgw.core.plugin.RoutingChain.Routing;
import io.socksgw.core.udp.UdpAssociation;
import io.socksgw.core.upstream.BindRequest;
import io.socksgw.core.upstream.PendingBind;
import io.socksgw.core.upstream.UdpPath;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import io.socksgw.core.session.Session;
import io.socksgw.core.upstream.AttemptObserver;
import io.socksgw.core.upstream.ConnectAttemptException;
import io.socksgw.core.upstream.ConnectFailures;
import io.socksgw.core.upstream.ConnectRequest;
import io.socksgw.core.upstream.OutboundConnection;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Takes a decoded request through authorize &rarr; route &rarr; connect, the same for every SOCKS
 * dialect, and hands the outcome to the dialect's {@link RequestResponder}. Every step resumes on the
 * client's event loop. CONNECT connects; BIND listens (here or at a chain's last hop) and waits for
 * one peer; UDP ASSOCIATE opens a relay (through an association at every hop of a chain). BIND and
 * UDP are first subject to {@code bind.enabled} and {@code udp.enabled}.
 */
final class RequestFlow {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RequestFlow.class);

    private final Channel client;
    private final Session session;
    private final SessionServices services;
    private final RequestResponder responder;

    RequestFlow(Channel client, Session session, SessionServices services, RequestResponder responder) {
        this.client = client;
        this.session = session;
        this.services = services;
        this.responder = responder;
    }

    void run(SocksRequest request) {
        Optional<Failure> refused = refusedByConfiguration(request);
        if (refused.isPresent()) {
            responder.fail(refused.get());
            return;
        }
        AccessRequest question = new AccessRequest(AccessPhase.REQUEST, session.client(), session.principal(),
                request, Optional.empty());
        EventLoopResume.onLoop(services.plugins().access().check(question), client.eventLoop(), (decision, error) -> {
            if (!client.isActive()) {
                return;
            }
            session.authorized(decision);
            if (decision.verdict() != Decision.Verdict.ALLOW) {
                DenialLog.byRule(session.client(), session.principal(), request.destination(), decision.rule(), decision.reason());
                responder.fail(Failure.ofGateway(Kind.DENIED, "denied by " + decision.rule() + ": " + decision.reason()));
                return;
            }
            route(request);
        });
    }

    private void route(SocksRequest request) {
        RouteRequest question = new RouteRequest(session.client(), session.principal(), request);
        EventLoopResume.onLoop(services.plugins().routing().route(question), client.eventLoop(), (routing, error) -> {
            if (!client.isActive()) {
                return;
            }
            session.routed(routing.route());
            if (routing.route().kind() != Route.Kind.CONNECT) {
                DenialLog.byRoute(session.client(), session.principal(), request.destination(), routing.route().rule(), routing.route().reason());
                responder.fail(Failure.ofGateway(Kind.DENIED, "rejected by route " + routing.route().rule() + ": "
                        + routing.route().reason()));
                return;
            }
            switch (request.command()) {
                case CONNECT -> connect(request, routing);
                case BIND -> bind(request, routing);
                case UDP_ASSOCIATE -> associate(request, routing);
            }
        });
    }

    /** BIND and UDP ASSOCIATE open ports on this host: only the clients their setting names may use them. */
    private Optional<Failure> refusedByConfiguration(SocksRequest request) {
        CommandScope scope;
        String key;
        switch (request.command()) {
            case BIND -> {
                scope = services.bind().enabled();
                key = "bind.enabled";
            }
            case UDP_ASSOCIATE -> {
                scope = services.udp().config().enabled();
                key = "udp.enabled";
            }
            default -> {
                return Optional.empty();
            }
        }
        String command = request.command() == Command.BIND ? "BIND" : "UDP ASSOCIATE";
        if (scope == CommandScope.OFF) {
            return Optional.of(Failure.ofGateway(Kind.UNSUPPORTED_COMMAND, command + " is off (" + key + " = off)"));
        }
        if (!scope.permits(session.client().remoteAddress().getAddress())) {
            String reason = command + " is for loopback clients only (" + key + " = " + scope.configName() + ")";
            DenialLog.byConfiguration(session.client(), session.principal(), request.destination(), key, reason);
            return Optional.of(Failure.ofGateway(Kind.DENIED, reason));
        }
        return Optional.empty();
    }

    private void bind(SocksRequest request, Routing routing) {
        Principal principal = session.principal();
        InetAddress listenAddress = services.bind().address().orElse(session.client().localAddress().getAddress());
        // SOCKS4 (RFC-less, but every implementation): the peer must be DSTIP, unless that is 0.0.0.0.
        Optional<Destination> expected = request.version() != SocksVersion.SOCKS5
                && (request.destination().isDomain() || !request.destination().address().isAnyLocalAddress())
                ? Optional.of(request.destination()) : Optional.empty();
        BindRequest bindRequest = new BindRequest(request, session.credentials(), listenAddress, expected,
                peer -> checkPeer(request, principal, peer), services.bind().acceptTimeout(),
                new RouterFeedback(routing.router()));
        Future<PendingBind> listening = services.connector().bind(client.eventLoop(), routing.route(), bindRequest);
        whenDone(listening, () -> {
            if (!listening.isSuccess()) {
                if (client.isActive()) {
                    responder.fail(failureOf(listening.cause()));
                }
                return;
            }
            PendingBind bind = listening.getNow();
            if (!client.isActive()) {
                bind.cancel();
                return;
            }
            client.closeFuture().addListener(f -> bind.cancel());
            responder.listening(bind);
            bind.peer().addListener((Future<OutboundConnection> peer) -> {
                if (!peer.isSuccess()) {
                    if (client.isActive()) {
                        responder.fail(failureOf(peer.cause()));
                    }
                    return;
                }
                if (!client.isActive()) {
                    peer.getNow().channel().close();
                    return;
                }
                responder.peerConnected(bind, peer.getNow());
            });
        });
    }

    /** Asks the access chain about the peer that connected to a BIND; may run off the loop. */
    private CompletionStage<Decision> checkPeer(SocksRequest request, Principal principal, InetSocketAddress peer) {
        AccessRequest question = new AccessRequest(AccessPhase.BIND_PEER, session.client(), principal, request,
                Optional.of(peer));
        return services.plugins().access().check(question).thenApply(decision -> {
            if (decision.verdict() == Decision.Verdict.DENY) {
                DenialLog.bindPeerByRule(session.client(), principal, peer, decision.rule(), decision.reason());
            }
            return decision;
        });
    }

    private void associate(SocksRequest request, Routing routing) {
        Principal principal = session.principal();
        ConnectRequest connectRequest = new ConnectRequest(request, session.credentials(),
                address -> CompletableFuture.completedFuture(Decision.allow("udp")), new RouterFeedback(routing.router()));
        Future<UdpPath> way = services.connector().associate(client.eventLoop(), routing.route(), connectRequest);
        whenDone(way, () -> {
            if (!way.isSuccess()) {
                if (client.isActive()) {
                    Failure failure = failureOf(way.cause());
                    if (failure.kind() == Kind.UNSUPPORTED_COMMAND) {
                        log.info("UDP ASSOCIATE from {} refused: {}", session.client().remoteAddress(), failure);
                    }
                    responder.fail(failure);
                }
                return;
            }
            UdpPath path = way.getNow();
            if (!client.isActive()) {
                path.close();
                return;
            }
            services.udp().open(client, session, path, request.destination().port(),
                    (destination, address) -> checkDatagram(principal, destination, address))
                    .addListener((Future<UdpAssociation> opened) -> {
                        if (!opened.isSuccess()) {
                            if (client.isActive()) {
                                responder.fail(Failure.ofGateway(Kind.INTERNAL, "cannot open a UDP relay: "
                                        + opened.cause().getMessage()));
                            }
                            return;
                        }
                        if (!client.isActive()) {
                            opened.getNow().close("client closed");
                            return;
                        }
                        responder.associated(opened.getNow());
                    });
        });
    }

    /** Asks the access chain about one destination of an association's datagrams; may run off the loop. */
    private CompletionStage<Decision> checkDatagram(Principal principal, Destination destination,
            Optional<InetSocketAddress> address) {
        AccessRequest question = new AccessRequest(AccessPhase.UDP_DATAGRAM, session.client(), principal,
                SocksRequest.of(SocksVersion.SOCKS5, Command.UDP_ASSOCIATE, destination), address);
        return services.plugins().access().check(question).thenApply(decision -> {
            if (decision.verdict() != Decision.Verdict.ALLOW) {
                DenialLog.datagramByRule(session.client(), principal, destination, address, decision.rule(),
                        decision.reason());
            }
            return decision;
        });
    }

    /**
     * Runs {@code then} on the loop once {@code future} is done; when it is done already (answered
     * inline, in the middle of the read that carried the request), on a later turn, so that read
     * hands the bytes behind the request to the handshake first.
     */
    private void whenDone(Future<?> future, Runnable then) {
        if (future.isDone()) {
            client.eventLoop().execute(then);
        } else {
            future.addListener(f -> then.run());
        }
    }

    private static Failure failureOf(Throwable cause) {
        return cause instanceof ConnectAttemptException e ? e.failure() : ConnectFailures.ofDirect(cause);
    }

    private void connect(SocksRequest request, Routing routing) {
        Principal principal = session.principal();
        ConnectRequest connectRequest = new ConnectRequest(request, session.credentials(),
                address -> checkResolved(request, principal, address),
                new RouterFeedback(routing.router()));
        Future<OutboundConnection> connecting = services.connector().connect(client.eventLoop(), routing.route(),
                connectRequest);
        // A client that leaves while the gateway connects for it frees the outbound side at once, not
        // at the connect timeout.
        client.closeFuture().addListener(f -> connecting.cancel(false));
        if (connecting.isDone()) {
            // Answered inline, in the middle of the read that carried the request: let that read hand the
            // bytes behind the request to the handshake first, or they would miss the tunnel.
            client.eventLoop().execute(() -> connected(connecting));
        } else {
            connecting.addListener(f -> connected(connecting));
        }
    }

    /** Asks the access chain about the exact address about to be connected to; may run off the loop. */
    private CompletionStage<Decision> checkResolved(SocksRequest request, Principal principal, InetSocketAddress address) {
        AccessRequest question = new AccessRequest(AccessPhase.RESOLVED, session.client(), principal, request,
                Optional.of(address));
        return services.plugins().access().check(question).thenApply(decision -> {
            if (decision.verdict() == Decision.Verdict.DENY) {
                DenialLog.resolvedByRule(session.client(), principal, request.destination(), address, decision.rule(),
                        decision.reason());
            }
            return decision;
        });
    }

    private void connected(Future<OutboundConnection> f) {
        if (f.isSuccess()) {
            OutboundConnection connection = f.getNow();
            if (!client.isActive()) {
                connection.channel().close();
                return;
            }
            responder.succeed(connection);
        } else if (client.isActive()) {
            responder.fail(f.cause() instanceof ConnectAttemptException e
                    ? e.failure()
                    : ConnectFailures.ofDirect(f.cause()));
        }
    }

    /** Reports each attempt to the session's events and to the router that chose the route. */
    private final class RouterFeedback implements AttemptObserver {
        private final Router router;

        RouterFeedback(Router router) {
            this.router = router;
        }

        @Override
        public void succeeded(Chain chain) {
            tell(() -> router.connectSucceeded(chain));
            client.closeFuture().addListener(f -> tell(() -> router.disconnected(chain)));
        }

        @Override
        public void failed(Chain chain, Failure failure) {
            session.attemptFailed(chain, failure);
            tell(() -> router.connectFailed(chain, failure));
        }

        private void tell(Runnable callback) {
            if (router == null) {
                return;
            }
            try {
                callback.run();
            } catch (RuntimeException e) {
                log.warn("router callback failed", e);
            }
        }
    }
}
