package io.socksgw.core.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;
import io.netty.util.concurrent.ScheduledFuture;
import io.socksgw.api.Destination;
import io.socksgw.api.Failure;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.access.Decision;
import io.socksgw.api.auth.Credentials;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.DnsPolicy;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.core.server.Transport;
import io.socksgw.core.tls.HopTlsContexts;
import io.socksgw.core.tls.TlsFailures;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Connects through a chain of upstream SOCKS hops: one TCP connection to the first hop, then each
 * hop's handshake in turn through the ones before it ({@link HopHandshakeHandler}), the last one
 * asking for the client's destination. A {@code socks5+tls} hop gets a TLS session first
 * ({@link HopTlsUpgrade}), inside the tunnel through the earlier hops when it is not the first.
 * Everything runs on the client's event loop; nothing is buffered beyond what the handshakes need.
 *
 * <p>Names: the destination travels to the last hop unresolved unless the chain says
 * {@link DnsPolicy#LOCAL}; a chain ending in plain SOCKS4 then fails closed for domains. A hop's own
 * host name is sent to the previous hop unresolved when that hop can take names, and resolved here
 * (asynchronously) otherwise.
 *
 * <p>Failures name the hop: a refused TCP connection or a closed, silent or garbled hop is that
 * hop's; "could not reach" replies from hop i about hop i+1 are hop i+1's; the last hop's failure
 * replies about the destination are the destination's (not counted against any hop's health).
 */
public final class ChainConnector {

    private static final InetAddress ANY_IPV4 = NetUtil.createInetAddressFromIpAddressString("0.0.0.0");

    private final Transport transport;
    private final AddressResolverGroup<InetSocketAddress> resolvers;
    private final WriteBufferWaterMark waterMark;
    private final HopTlsContexts tlsContexts = new HopTlsContexts();

    /** With Netty's default write-buffer water marks. */
    public ChainConnector(Transport transport, AddressResolverGroup<InetSocketAddress> resolvers) {
        this(transport, resolvers, WriteBufferWaterMark.DEFAULT);
    }

    /** @param waterMark {@code limits.write-buffer}, for every outbound connection (the relay's backpressure) */
    public ChainConnector(Transport transport, AddressResolverGroup<InetSocketAddress> resolvers,
            WriteBufferWaterMark waterMark) {
        this.transport = transport;
        this.resolvers = resolvers;
        this.waterMark = waterMark;
    }

    /** The write-buffer water marks of outbound connections, direct ones included ({@link OutboundConnector}). */
    public WriteBufferWaterMark waterMark() {
        return waterMark;
    }

    /**
     * @param clientCredentials what the client presented, for hops that pass it through
     * @return fails with {@link ConnectAttemptException}
     */
    public Future<OutboundConnection> connect(EventLoop loop, Chain chain, SocksRequest request,
            Credentials clientCredentials, ResolvedAddressCheck check, long deadlineNanos) {
        Promise<OutboundConnection> promise = loop.newPromise();
        new Attempt(loop, chain, clientCredentials, deadlineNanos, promise).start(request.destination(), check);
        return promise;
    }

    /**
     * Asks the chain's last hop to BIND for the request's destination (the peer the client expects):
     * completes at the hop's first reply, with the second still to come.
     *
     * @return fails with {@link ConnectAttemptException}
     */
    public Future<PendingBind> bind(EventLoop loop, Chain chain, SocksRequest request, Credentials clientCredentials,
            long deadlineNanos) {
        Promise<OutboundConnection> listening = loop.newPromise();
        Attempt attempt = new Attempt(loop, chain, clientCredentials, deadlineNanos, listening);
        attempt.lastCommand = HopCommand.BIND;
        attempt.peer = loop.newPromise();
        // A BIND names the peer it expects; nothing is connected to, so there is no address to check.
        attempt.start(request.destination(), address -> CompletableFuture.completedFuture(
                Decision.allow("bind")));
        Promise<OutboundConnection> peer = attempt.peer;
        Promise<PendingBind> result = loop.newPromise();
        listening.addListener((Future<OutboundConnection> f) -> {
            if (f.isSuccess()) {
                result.trySuccess(new HopBind(chain, f.getNow(), peer));
            } else {
                peer.tryFailure(f.cause());
                result.tryFailure(f.cause());
            }
        });
        return result;
    }

    /**
     * Opens a UDP association at every hop of a chain of SOCKS5 hops, each through the hops before it
     * on its own TCP connection, so that every hop sees standard SOCKS5 datagrams: hop i+1's relay
     * is just a destination to hop i's. A chain with a SOCKS4 hop cannot, and fails at once.
     *
     * @return fails with {@link ConnectAttemptException}
     */
    public Future<UdpPath> associate(EventLoop loop, Chain chain, Credentials clientCredentials, long deadlineNanos) {
        Promise<UdpPath> result = loop.newPromise();
        List<Hop> all = chain.hops();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).protocol() != SocksVersion.SOCKS5) {
                result.setFailure(new ConnectAttemptException(new Failure(Kind.UNSUPPORTED_COMMAND, i, all.get(i).name(),
                        -1, "hop " + all.get(i).name() + " speaks " + all.get(i).protocol()
                        + ", which has no UDP ASSOCIATE: UDP needs a chain of SOCKS5 hops")));
                return result;
            }
        }
        // Clients tell the relay where their datagrams come from; we cannot know the address a hop
        // sends from, so 0.0.0.0:0 (RFC 1928: the relay then takes the TCP peer's address).
        Destination anySource = Destination.of(ANY_IPV4, 0);
        List<Promise<OutboundConnection>> hops = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Promise<OutboundConnection> associated = loop.newPromise();
            Attempt attempt = new Attempt(loop, new Chain(chain.name(), all.subList(0, i + 1), chain.dnsPolicy()),
                    clientCredentials, deadlineNanos, associated);
            attempt.lastCommand = HopCommand.UDP_ASSOCIATE;
            attempt.start(anySource, address -> CompletableFuture.completedFuture(
                    Decision.allow("udp")));
            hops.add(associated);
        }
        PromiseCombiner combiner = new PromiseCombiner(loop);
        hops.forEach(combiner::add);
        Promise<Void> everyHop = loop.newPromise();
        combiner.finish(everyHop);
        everyHop.addListener(f -> {
            if (!f.isSuccess()) {
                // The first failure is the one the combiner reports; the others' connections must close too.
                hops.forEach(h -> h.addListener((Future<OutboundConnection> one) -> {
                    if (one.isSuccess()) {
                        one.getNow().channel().close();
                    }
                }));
                result.tryFailure(f.cause());
                return;
            }
            List<Channel> controls = new ArrayList<>();
            List<InetSocketAddress> relays = new ArrayList<>();
            for (int i = 0; i < hops.size(); i++) {
                OutboundConnection connection = hops.get(i).getNow();
                controls.add(connection.channel());
                relays.add(reachableAt(all.get(i), i, connection.channel(), connection.boundAddress()));
            }
            UdpPath path = new UdpPath(chain, controls, relays);
            if (!result.trySuccess(path)) {
                path.close();
            }
        });
        return result;
    }

    /**
     * Where a port a hop opened (a UDP relay, a BIND listener) is reached: the hop's reply, or, when
     * that is a wildcard address, the hop's own address — the one we reached it on for the first hop,
     * its configured host for a later one (a name then travels unresolved).
     *
     * @param channel the connection whose last hop replied
     */
    private static InetSocketAddress reachableAt(Hop hop, int index, Channel channel, InetSocketAddress reported) {
        if (!reported.isUnresolved() && !reported.getAddress().isAnyLocalAddress()) {
            return reported;
        }
        if (index == 0) {
            return new InetSocketAddress(((InetSocketAddress) channel.remoteAddress()).getAddress(), reported.getPort());
        }
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(hop.host());
        return literal != null ? new InetSocketAddress(literal, reported.getPort())
                : InetSocketAddress.createUnresolved(hop.host(), reported.getPort());
    }

    /** Connects to one hop and authenticates, then closes: an active health probe. */
    public Future<Void> probe(EventLoop loop, Hop hop, long deadlineNanos) {
        Promise<OutboundConnection> connected = loop.newPromise();
        Attempt attempt = new Attempt(loop, Chain.of("probe:" + hop.name(), List.of(hop)),
                new Credentials.None(), deadlineNanos, connected);
        attempt.probeOnly = true;
        attempt.start(null, null);
        Promise<Void> probed = loop.newPromise();
        connected.addListener((Future<OutboundConnection> f) -> {
            if (f.isSuccess()) {
                f.getNow().channel().close();
                probed.trySuccess(null);
            } else {
                probed.tryFailure(f.cause());
            }
        });
        return probed;
    }

    /** One try through one chain. */
    private final class Attempt {
        private final EventLoop loop;
        private final Chain chain;
        private final List<Hop> hops;
        private final Credentials clientCredentials;
        private final long deadlineNanos;
        private final Promise<OutboundConnection> promise;
        private boolean probeOnly;
        private HopCommand lastCommand = HopCommand.CONNECT;
        /** BIND only: the second reply, after {@link #promise} took the first. */
        private Promise<OutboundConnection> peer;
        private HopTarget finalTarget;
        private InetSocketAddress resolvedDestination;
        private Channel channel;
        private int currentHop;
        private ScheduledFuture<?> timer;

        Attempt(EventLoop loop, Chain chain, Credentials clientCredentials, long deadlineNanos,
                Promise<OutboundConnection> promise) {
            this.loop = loop;
            this.chain = chain;
            this.hops = chain.hops();
            this.clientCredentials = clientCredentials;
            this.deadlineNanos = deadlineNanos;
            this.promise = promise;
        }

        void start(Destination destination, ResolvedAddressCheck check) {
            long remaining = deadlineNanos - System.nanoTime();
            timer = loop.schedule(() -> failAtHop(Kind.TIMED_OUT, currentHop, -1,
                    "no answer within the connect timeout"), Math.max(0, remaining), TimeUnit.NANOSECONDS);
            promise.addListener(f -> {
                timer.cancel(false);
                if (!f.isSuccess() && channel != null) {
                    channel.close();
                }
            });
            if (probeOnly) {
                connectFirstHop();
                return;
            }
            Hop last = hops.get(hops.size() - 1);
            if (destination.isDomain()) {
                if (chain.dnsPolicy() == DnsPolicy.REMOTE) {
                    if (!last.acceptsDomains()) {
                        failAtGateway(Kind.UNSUPPORTED_ADDRESS_TYPE, "chain '" + chain.name() + "' ends in SOCKS4 hop '"
                                + last.name() + "', which cannot carry a domain name; set dns = local on the chain to resolve here");
                        return;
                    }
                    finalTarget = new HopTarget(destination.toSocketAddress());
                    connectFirstHop();
                } else {
                    resolveDestinationLocally(destination, check, last);
                }
                return;
            }
            if (!targetFits(last, destination.address())) {
                failAtGateway(Kind.UNSUPPORTED_ADDRESS_TYPE, "hop '" + last.name() + "' speaks " + last.protocol()
                        + ", which cannot carry the IPv6 destination " + destination);
                return;
            }
            finalTarget = new HopTarget(destination.toSocketAddress());
            connectFirstHop();
        }

        private void resolveDestinationLocally(Destination destination, ResolvedAddressCheck check, Hop last) {
            resolvers.getResolver(loop).resolve(destination.toSocketAddress()).addListener(
                    (Future<InetSocketAddress> resolved) -> {
                        if (!resolved.isSuccess()) {
                            failAtGateway(Kind.DNS_FAILURE, "cannot resolve " + destination.host() + ": "
                                    + resolved.cause().getMessage());
                            return;
                        }
                        InetSocketAddress address = resolved.getNow();
                        if (!targetFits(last, address.getAddress())) {
                            failAtGateway(Kind.UNSUPPORTED_ADDRESS_TYPE, destination.host() + " resolved to IPv6 "
                                    + address.getAddress().getHostAddress() + ", which SOCKS4 hop '" + last.name() + "' cannot carry");
                            return;
                        }
                        check.check(address).whenComplete((decision, error) -> loop.execute(() -> {
                            if (error != null || decision.verdict() != Decision.Verdict.ALLOW) {
                                failAtGateway(Kind.DENIED, "resolved address " + address.getAddress().getHostAddress()
                                        + " denied" + (decision != null ? ": " + decision.reason() : ""));
                                return;
                            }
                            resolvedDestination = address;
                            finalTarget = new HopTarget(address);
                            connectFirstHop();
                        }));
                    });
        }

        private void connectFirstHop() {
            Hop first = hops.get(0);
            InetSocketAddress address = InetSocketAddress.createUnresolved(first.host(), first.port());
            if (NetUtil.isValidIpV4Address(first.host()) || NetUtil.isValidIpV6Address(first.host())) {
                tcpConnect(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(first.host()), first.port()));
                return;
            }
            resolvers.getResolver(loop).resolve(address).addListener((Future<InetSocketAddress> resolved) -> {
                if (resolved.isSuccess()) {
                    tcpConnect(resolved.getNow());
                } else {
                    failAtHop(Kind.DNS_FAILURE, 0, -1, "cannot resolve hop host " + first.host());
                }
            });
        }

        private void tcpConnect(InetSocketAddress address) {
            if (promise.isDone()) {
                return;
            }
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            ChannelFuture connecting = new Bootstrap()
                    .group(loop)
                    .channel(transport.socketChannelType())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE, remainingMillis)))
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                    .handler(transport.outboundChannelHandler())
                    .connect(address);
            channel = connecting.channel();
            connecting.addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    failAtHop(ConnectFailures.classify(f.cause()), 0, -1, String.valueOf(f.cause().getMessage()));
                    return;
                }
                if (promise.isDone()) {
                    f.channel().close();
                    return;
                }
                handshake(0);
            });
        }

        /** Hop {@code index}'s turn: TLS first when it is a {@code socks5+tls} hop, then its SOCKS handshake. */
        private void handshake(int index) {
            currentHop = index;
            Hop hop = hops.get(index);
            if (!hop.tls()) {
                negotiate(index);
                return;
            }
            SslContext context;
            try {
                context = tlsContexts.contextFor(hop.tlsSettings());
            } catch (SSLException | RuntimeException e) {
                failAtHop(Kind.TLS_FAILED, index, -1, "hop's TLS settings are unusable: " + e.getMessage());
                return;
            }
            HopTlsUpgrade.start(channel, context, hop, index).addListener((Future<Channel> f) -> {
                if (promise.isDone()) {
                    return;
                }
                if (f.isSuccess()) {
                    negotiate(index);
                } else {
                    failAtHop(Kind.TLS_FAILED, index, -1, "TLS handshake with hop " + hop.name() + " failed: "
                            + TlsFailures.describe(f.cause()));
                }
            });
        }

        /** Hop {@code index}'s SOCKS handshake, once its TLS session (if any) is up. */
        private void negotiate(int index) {
            Hop hop = hops.get(index);
            boolean last = index == hops.size() - 1;
            if (probeOnly || last) {
                startHop(index, probeOnly ? null : finalTarget);
                return;
            }
            Hop next = hops.get(index + 1);
            HopTarget target = targetFor(next, hop);
            if (target != null) {
                startHop(index, target);
                return;
            }
            resolvers.getResolver(loop).resolve(InetSocketAddress.createUnresolved(next.host(), next.port())).addListener(
                    (Future<InetSocketAddress> resolved) -> {
                        if (resolved.isSuccess()) {
                            startHop(index, new HopTarget(resolved.getNow()));
                        } else {
                            failAtHop(Kind.DNS_FAILURE, index + 1, -1, "cannot resolve hop host " + next.host());
                        }
                    });
        }

        private void startHop(int index, HopTarget target) {
            if (promise.isDone()) {
                return;
            }
            Hop hop = hops.get(index);
            boolean last = index == hops.size() - 1;
            HopCredentials credentials = credentialsFor(hop);
            if (credentials == null) {
                failAtHop(Kind.HOP_AUTH_FAILED, index, -1, "hop passes the client's credentials through, but the client "
                        + "presented none it can use");
                return;
            }
            Promise<InetSocketAddress> done = loop.newPromise();
            if (last && lastCommand == HopCommand.BIND) {
                startBind(index, hop, credentials, target, done);
                return;
            }
            done.addListener((Future<InetSocketAddress> f) -> {
                if (f.isSuccess()) {
                    if (last) {
                        succeed(f.getNow());
                    } else {
                        handshake(index + 1);
                    }
                } else if (f.cause() instanceof HopHandshakeException e) {
                    onHopFailure(index, e);
                } else {
                    failAtHop(ConnectFailures.classify(f.cause()), index, -1, String.valueOf(f.cause().getMessage()));
                }
            });
            HopCommand command = last && !probeOnly ? lastCommand : HopCommand.CONNECT;
            HopHandshakeHandler.start(channel.pipeline(),
                    new HopHandshakeHandler(hop, credentials, target, last && command != HopCommand.UDP_ASSOCIATE,
                            command, null, done));
        }

        /**
         * The last hop BINDs: its first reply completes the attempt (where it listens), its second the
         * peer. A failure before the first reply is the attempt's; after it, the peer's.
         */
        private void startBind(int index, Hop hop, HopCredentials credentials, HopTarget target,
                Promise<InetSocketAddress> done) {
            Promise<InetSocketAddress> listening = loop.newPromise();
            listening.addListener((Future<InetSocketAddress> f) -> {
                if (f.isSuccess()) {
                    succeed(reachableAt(hop, index, channel, f.getNow()));
                }
            });
            done.addListener((Future<InetSocketAddress> f) -> {
                if (f.isSuccess()) {
                    // A hop that does not say who connected leaves the address unspecified.
                    if (!peer.trySuccess(new OutboundConnection(channel, chain, f.getNow(), null))) {
                        channel.close();
                    }
                    return;
                }
                if (!listening.isDone()) {
                    listening.cancel(false);
                    if (f.cause() instanceof HopHandshakeException e) {
                        onHopFailure(index, e);
                    } else {
                        failAtHop(ConnectFailures.classify(f.cause()), index, -1, String.valueOf(f.cause().getMessage()));
                    }
                    return;
                }
                Failure failure = f.cause() instanceof HopHandshakeException e
                        ? new Failure(e.replyCode() >= 0 ? e.kind() : Kind.CLOSED, Failure.GATEWAY, "", e.replyCode(),
                                "last hop " + hop.name() + ": " + e.getMessage())
                        : Failure.ofGateway(ConnectFailures.classify(f.cause()), String.valueOf(f.cause().getMessage()));
                peer.tryFailure(new ConnectAttemptException(failure));
            });
            HopHandshakeHandler.start(channel.pipeline(),
                    new HopHandshakeHandler(hop, credentials, target, true, HopCommand.BIND, listening, done));
        }

        /** Where hop {@code via} should connect to reach {@code next}; null when a local lookup is needed first. */
        private HopTarget targetFor(Hop next, Hop via) {
            if (NetUtil.isValidIpV4Address(next.host()) || NetUtil.isValidIpV6Address(next.host())) {
                return new HopTarget(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(next.host()), next.port()));
            }
            return via.acceptsDomains() ? new HopTarget(InetSocketAddress.createUnresolved(next.host(), next.port())) : null;
        }

        /** The hop's credentials, with pass-through replaced by what the client presented. */
        private HopCredentials credentialsFor(Hop hop) {
            if (!(hop.credentials() instanceof HopCredentials.PassThrough)) {
                return hop.credentials();
            }
            if (hop.protocol() == SocksVersion.SOCKS5 && clientCredentials instanceof Credentials.UsernamePassword up) {
                return new HopCredentials.UsernamePassword(up.username(), up.password());
            }
            if (hop.protocol() != SocksVersion.SOCKS5 && clientCredentials instanceof Credentials.Socks4UserId id) {
                return new HopCredentials.UserId(id.userId());
            }
            if (hop.protocol() != SocksVersion.SOCKS5 && clientCredentials instanceof Credentials.UsernamePassword up) {
                return new HopCredentials.UserId(up.username());
            }
            return null;
        }

        private void onHopFailure(int index, HopHandshakeException e) {
            boolean last = index == hops.size() - 1;
            Hop hop = hops.get(index);
            if (e.replyCode() >= 0 && last && !probeOnly && lastCommand != HopCommand.CONNECT) {
                // Refusing to BIND or to relay UDP is the hop's own limit (0x07: it cannot), not the destination's.
                failAtHop(e.kind(), index, e.replyCode(), "hop " + hop.name() + " refused " + lastCommand.name().replace('_', ' ')
                        + ": " + e.getMessage());
            } else if (e.replyCode() >= 0 && last && !probeOnly) {
                // The last hop could not serve the destination: the destination's failure, not the hop's.
                promise.tryFailure(new ConnectAttemptException(new Failure(e.kind(), Failure.GATEWAY, "", e.replyCode(),
                        "last hop " + hop.name() + ": " + e.getMessage())));
            } else if (e.replyCode() >= 0 && HopReplies.isReachability(e.kind())) {
                Hop next = hops.get(index + 1);
                promise.tryFailure(new ConnectAttemptException(new Failure(e.kind(), index + 1, next.name(), e.replyCode(),
                        "unreachable from hop " + hop.name() + ": " + e.getMessage())));
            } else {
                failAtHop(e.kind(), index, e.replyCode(), e.getMessage());
            }
        }

        private void succeed(InetSocketAddress bound) {
            // A hop reporting 0.0.0.0 (or a name) leaves nothing better than our own socket's address;
            // a BIND's and a UDP relay's addresses are the hop's, and their callers judge them.
            InetSocketAddress reported = lastCommand == HopCommand.CONNECT
                    && (bound.isUnresolved() || bound.getAddress().isAnyLocalAddress())
                    ? (InetSocketAddress) channel.localAddress() : bound;
            if (!promise.trySuccess(new OutboundConnection(channel, chain, reported, resolvedDestination))) {
                channel.close();
            }
        }

        private void failAtHop(Kind kind, int index, int code, String detail) {
            Hop hop = hops.get(index);
            promise.tryFailure(new ConnectAttemptException(new Failure(kind, index, hop.name(), code, detail)));
        }

        private void failAtGateway(Kind kind, String detail) {
            promise.tryFailure(new ConnectAttemptException(Failure.ofGateway(kind, detail)));
        }
    }

    /** A BIND waiting at a chain's last hop for its second reply. */
    private record HopBind(Chain chain, OutboundConnection listening, Promise<OutboundConnection> second)
            implements PendingBind {
        @Override
        public InetSocketAddress announced() {
            return listening.boundAddress();
        }

        @Override
        public Future<OutboundConnection> peer() {
            return second;
        }

        @Override
        public void cancel() {
            if (second.tryFailure(new ConnectAttemptException(Failure.ofGateway(Kind.CLOSED, "BIND given up")))) {
                listening.channel().close();
            }
        }
    }

    /** Whether the hop's dialect can carry this address (SOCKS4 and 4a: IPv4 only). */
    private static boolean targetFits(Hop hop, InetAddress address) {
        return hop.protocol() == SocksVersion.SOCKS5 || address.getAddress().length == 4;
    }
}
