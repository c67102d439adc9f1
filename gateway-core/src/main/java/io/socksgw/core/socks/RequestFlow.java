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
import io.socksgw.core.plugin.RoutingChain.Routing;
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
 * client's event loop.
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
        if (request.command() != Command.CONNECT) {
            // BIND and UDP ASSOCIATE arrive with their own issue; until then they are refused clearly.
            responder.fail(Failure.ofGateway(Kind.UNSUPPORTED_COMMAND, request.command() + " is not supported"));
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
            connect(request, routing);
        });
    }

    private void connect(SocksRequest request, Routing routing) {
        Principal principal = session.principal();
        ConnectRequest connectRequest = new ConnectRequest(request, session.credentials(),
                address -> checkResolved(request, principal, address),
                new RouterFeedback(routing.router()));
        Future<OutboundConnection> connecting = services.connector().connect(client.eventLoop(), routing.route(),
                connectRequest);
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
