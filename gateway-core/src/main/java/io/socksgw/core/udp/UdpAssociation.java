package io.socksgw.core.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.resolver.AddressResolver;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.socksgw.api.Destination;
import io.socksgw.api.access.Decision;
import io.socksgw.api.route.DnsPolicy;
import io.socksgw.core.config.UdpConfig;
import io.socksgw.core.session.Session;
import io.socksgw.core.upstream.UdpPath;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP association (RFC 1928 section 7): relays datagrams between the client and its destinations,
 * directly or through the UDP relays of a chain of SOCKS5 hops.
 *
 * <p>From the client: only datagrams from the control connection's IP address are taken (and from
 * the port the client named, or else the port of its first datagram, to which replies then go);
 * fragments (FRAG other than 0) and malformed headers are dropped. Each destination is resolved (a
 * name, unless it travels to a chain's last hop) and checked by the access policies once, the
 * verdict kept for {@link #VERDICT_TTL_NANOS}; datagrams wait meanwhile, within
 * {@code udp.max-buffered-bytes}. At most {@code udp.max-destinations} destinations are in use at once.
 *
 * <p>To the client: directly, only datagrams from a destination the client has sent to are relayed,
 * with a header naming that source; through a chain, only datagrams from the first relay, whose
 * nested headers are unwrapped down to the last hop's, which names the real source.
 *
 * <p>Ends, closing both sockets and every hop's control connection, when the client's control
 * connection ends, a hop's ends, or nothing moved for {@code udp.idle-timeout}. Everything runs on
 * the control connection's event loop, so the session needs no locks.
 */
public final class UdpAssociation {

    private static final Logger log = LoggerFactory.getLogger(UdpAssociation.class);

    /** How long a destination's verdict (and resolved address) is trusted before it is asked again. */
    static final long VERDICT_TTL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Channel control;
    private final Session session;
    private final UdpPath path;
    private final DatagramCheck check;
    private final AddressResolver<InetSocketAddress> resolver;
    private final UdpConfig config;
    private final InetAddress clientIp;
    private final boolean resolveHere;
    private final Map<InetSocketAddress, Target> targets = new HashMap<>();
    /** Direct only: the resolved addresses datagrams went to, which alone may answer. */
    private final Map<InetSocketAddress, Integer> answerable = new HashMap<>();

    private int clientPort;
    private Channel clientSide;
    private Channel outside;
    private InetSocketAddress announced;
    private ScheduledFuture<?> idleTimer;
    private long lastActivity = System.nanoTime();
    private int bufferedBytes;
    private long dropped;
    private boolean closed;

    UdpAssociation(Channel control, Session session, UdpPath path, int clientPort, DatagramCheck check,
            AddressResolver<InetSocketAddress> resolver, UdpConfig config) {
        this.control = control;
        this.session = session;
        this.path = path;
        this.clientPort = clientPort;
        this.check = check;
        this.resolver = resolver;
        this.config = config;
        // The client's address as the session knows it: behind a load balancer, the PROXY header's, since the
        // client's datagrams come straight to this node, not through the balancer.
        this.clientIp = Socks5UdpHeader.normalize(session.client().remoteAddress()).getAddress();
        this.resolveHere = path.isDirect() || path.chain().dnsPolicy() == DnsPolicy.LOCAL;
    }

    /** The relay address for the client's reply (BND.ADDR/BND.PORT). */
    public InetSocketAddress relayAddress() {
        return announced;
    }

    /** Where datagrams leave: our outside socket for a direct path, the first hop's relay otherwise. */
    public InetSocketAddress outsideAddress() {
        return path.isDirect() ? (InetSocketAddress) outside.localAddress() : path.relays().get(0);
    }

    public UdpPath path() {
        return path;
    }

    /** Datagrams dropped so far (foreign source, fragments, malformed, denied, over a limit). */
    public long dropped() {
        return dropped;
    }

    /** Both sockets are bound: read, and end with whichever connection ends first. */
    void start(Channel clientSide, Channel outside, InetSocketAddress announced) {
        this.clientSide = clientSide;
        this.outside = outside;
        this.announced = announced;
        control.closeFuture().addListener(f -> close("client closed"));
        clientSide.closeFuture().addListener(f -> close("UDP relay socket closed"));
        outside.closeFuture().addListener(f -> close("UDP outside socket closed"));
        for (int i = 0; i < path.controls().size(); i++) {
            String hop = path.chain().hops().get(i).name();
            Channel hopControl = path.controls().get(i);
            hopControl.pipeline().addLast("udp-hop-control", new HopControlHandler());
            hopControl.closeFuture().addListener(f -> close("hop " + hop + " ended its UDP association"));
            hopControl.config().setAutoRead(true);
        }
        scheduleIdleCheck(config.idleTimeout().toNanos());
        clientSide.config().setAutoRead(true);
        outside.config().setAutoRead(true);
    }

    /**
     * The handler for the client's TCP connection once the reply is sent: it carries nothing more, so
     * reads are discarded; its end (FIN included) ends the association.
     */
    public ChannelHandler controlHandler() {
        return new ControlHandler();
    }

    ChannelHandler clientSideHandler() {
        return new DatagramSocketHandler(this::fromClient, () -> outside, "client-facing");
    }

    ChannelHandler outsideHandler() {
        return new DatagramSocketHandler(this::fromOutside, () -> clientSide, "outside");
    }

    /** Ends the association: both sockets, every hop's control connection, and the client's. */
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        session.closeReason(reason);
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        for (Target target : targets.values()) {
            target.releaseWaiting();
        }
        targets.clear();
        bufferedBytes = 0;
        if (clientSide != null) {
            clientSide.close();
        }
        if (outside != null) {
            outside.close();
        }
        path.close();
        control.close();
        if (dropped > 0) {
            log.debug("session {}: UDP association ended ({}), {} datagrams dropped", session.id(), reason, dropped);
        }
    }

    // ---- from the client ----

    private void fromClient(DatagramPacket packet) {
        InetSocketAddress sender = Socks5UdpHeader.normalize(packet.sender());
        if (!sender.getAddress().equals(clientIp) || (clientPort != 0 && sender.getPort() != clientPort)) {
            drop("datagram from " + sender + ", not from the client");
            return;
        }
        ByteBuf datagram = packet.content();
        Socks5UdpHeader.Parsed header;
        try {
            header = Socks5UdpHeader.parse(datagram);
        } catch (CorruptedFrameException e) {
            drop("malformed datagram from the client: " + e.getMessage());
            return;
        }
        if (header.fragment() != 0) {
            drop("fragment " + header.fragment() + " (fragmentation is not supported)");
            return;
        }
        InetSocketAddress destination = header.address();
        if (destination.getPort() == 0 || (!destination.isUnresolved() && destination.getAddress().isAnyLocalAddress())) {
            drop("unspecified destination " + destination);
            return;
        }
        if (clientPort == 0) {
            clientPort = sender.getPort(); // from now on the client's one source, and where replies go
        }
        lastActivity = System.nanoTime();
        int start = datagram.readerIndex() + header.length();
        ByteBuf payload = datagram.slice(start, datagram.writerIndex() - start);
        toDestination(destination, payload);
    }

    /** {@code payload} is borrowed: retained or copied here only when it is kept. */
    private void toDestination(InetSocketAddress destination, ByteBuf payload) {
        Target target = targets.get(destination);
        long now = System.nanoTime();
        if (target == null) {
            if (targets.size() >= config.maxDestinations() && !forgetIdleTargets(now)) {
                drop("udp.max-destinations (" + config.maxDestinations() + ") reached");
                return;
            }
            target = new Target(destination);
            targets.put(destination, target);
            startCheck(target);
        } else if (target.state != State.CHECKING && now - target.checkedAt > VERDICT_TTL_NANOS) {
            startCheck(target);
        }
        target.lastUsed = now;
        switch (target.state) {
            case ALLOWED -> send(target, payload.retain(), true);
            case REFUSED -> drop("destination " + destination + " refused");
            case CHECKING -> hold(target, payload);
        }
    }

    private void hold(Target target, ByteBuf payload) {
        int size = payload.readableBytes();
        if (bufferedBytes + size > config.maxBufferedBytes()) {
            drop("udp.max-buffered-bytes (" + config.maxBufferedBytes() + ") reached");
            return;
        }
        // A copy: the received buffer is a full 64 KiB however small the datagram.
        ByteBuf copy = control.alloc().buffer(size);
        copy.writeBytes(payload, payload.readerIndex(), size);
        target.waiting.add(copy);
        bufferedBytes += size;
    }

    /** Drops the destinations unused for a verdict's lifetime; whether any room was made. */
    private boolean forgetIdleTargets(long now) {
        boolean freed = false;
        for (Iterator<Target> it = targets.values().iterator(); it.hasNext();) {
            Target target = it.next();
            if (target.state != State.CHECKING && now - target.lastUsed > VERDICT_TTL_NANOS) {
                forgetAnswerable(target);
                it.remove();
                freed = true;
            }
        }
        return freed;
    }

    private void startCheck(Target target) {
        target.state = State.CHECKING;
        InetSocketAddress requested = target.requested;
        if (!requested.isUnresolved()) {
            ask(target, Destination.of(requested.getAddress(), requested.getPort()), requested, Optional.of(requested));
            return;
        }
        Destination named;
        try {
            named = Destination.ofDomain(requested.getHostString(), requested.getPort());
        } catch (IllegalArgumentException e) {
            verdict(target, null, false, "bad name: " + e.getMessage());
            return;
        }
        if (!resolveHere) {
            ask(target, named, requested, Optional.empty()); // the chain's last hop resolves it
            return;
        }
        resolver.resolve(requested).addListener((Future<InetSocketAddress> resolved) -> {
            if (!resolved.isSuccess()) {
                verdict(target, null, false, "cannot resolve " + requested.getHostString() + ": "
                        + resolved.cause().getMessage());
                return;
            }
            InetSocketAddress address = Socks5UdpHeader.normalize(resolved.getNow());
            ask(target, named, address, Optional.of(address));
        });
    }

    private void ask(Target target, Destination destination, InetSocketAddress sendTo, Optional<InetSocketAddress> checked) {
        check.check(destination, checked).whenComplete((decision, error) -> {
            boolean allowed = error == null && decision.verdict() == Decision.Verdict.ALLOW;
            String why = error != null ? "access check failed" : decision.reason();
            if (control.eventLoop().inEventLoop()) {
                verdict(target, sendTo, allowed, why);
            } else {
                control.eventLoop().execute(() -> verdict(target, sendTo, allowed, why));
            }
        });
    }

    private void verdict(Target target, InetSocketAddress sendTo, boolean allowed, String why) {
        if (closed || targets.get(target.requested) != target) {
            target.releaseWaiting(); // the association ended, or forgot this destination meanwhile
            return;
        }
        target.checkedAt = System.nanoTime();
        forgetAnswerable(target);
        bufferedBytes -= target.waitingBytes();
        if (!allowed) {
            target.state = State.REFUSED;
            target.sendTo = null;
            int waiting = target.waiting.size();
            target.releaseWaiting();
            dropped += waiting;
            log.debug("session {}: UDP destination {} refused: {}", session.id(), target.requested, why);
            return;
        }
        target.state = State.ALLOWED;
        target.sendTo = sendTo;
        if (path.isDirect()) {
            answerable.merge(sendTo, 1, Integer::sum);
        }
        boolean any = false;
        for (ByteBuf payload; (payload = target.waiting.poll()) != null;) {
            any |= send(target, payload, false);
        }
        if (any) {
            outside.flush();
        }
    }

    private void forgetAnswerable(Target target) {
        if (target.state == State.ALLOWED && target.sendTo != null && path.isDirect()) {
            answerable.computeIfPresent(target.sendTo, (address, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Sends (owning {@code payload}); flushed at the end of the read, or by the caller. */
    private boolean send(Target target, ByteBuf payload, boolean inRead) {
        if (!outside.isWritable()) {
            payload.release();
            drop("outside socket not writable");
            return false;
        }
        int size = payload.readableBytes();
        DatagramPacket packet = path.isDirect()
                ? new DatagramPacket(payload, target.sendTo)
                : new DatagramPacket(encapsulate(target.sendTo, payload), path.relays().get(0));
        outside.write(packet, outside.voidPromise());
        session.addBytesFromClient(size);
        return true;
    }

    /**
     * Through a chain: headers for hop 2's relay, ..., hop n's relay, then the destination, in front of
     * the data, sent to hop 1's relay. Each hop strips one header and sends the rest on.
     */
    private ByteBuf encapsulate(InetSocketAddress destination, ByteBuf payload) {
        int length = Socks5UdpHeader.length(destination);
        for (int i = 1; i < path.relays().size(); i++) {
            length += Socks5UdpHeader.length(path.relays().get(i));
        }
        ByteBuf headers = control.alloc().buffer(length);
        for (int i = 1; i < path.relays().size(); i++) {
            Socks5UdpHeader.write(headers, path.relays().get(i));
        }
        Socks5UdpHeader.write(headers, destination);
        CompositeByteBuf datagram = control.alloc().compositeBuffer(2);
        datagram.addComponents(true, headers, payload);
        return datagram;
    }

    // ---- to the client ----

    private void fromOutside(DatagramPacket packet) {
        if (clientPort == 0) {
            drop("datagram before the client sent any");
            return;
        }
        InetSocketAddress sender = Socks5UdpHeader.normalize(packet.sender());
        ByteBuf datagram = packet.content();
        ByteBuf toClient;
        int payloadSize;
        if (path.isDirect()) {
            if (!answerable.containsKey(sender)) {
                drop("datagram from " + sender + ", which the client has not sent to");
                return;
            }
            payloadSize = datagram.readableBytes();
            ByteBuf header = control.alloc().buffer(Socks5UdpHeader.length(sender));
            Socks5UdpHeader.write(header, sender);
            CompositeByteBuf whole = control.alloc().compositeBuffer(2);
            whole.addComponents(true, header, datagram.retain());
            toClient = whole;
        } else {
            if (!sender.equals(Socks5UdpHeader.normalize(path.relays().get(0)))) {
                drop("datagram from " + sender + ", not from the first hop's relay");
                return;
            }
            int start = datagram.readerIndex();
            try {
                // Hop 1 wrapped hop 2's datagram in hop 2's address, and so on: the innermost header is
                // the last hop's, naming the real source, and is what the client gets.
                for (int i = 1; i < path.relays().size(); i++) {
                    Socks5UdpHeader.Parsed outer = Socks5UdpHeader.parse(datagram);
                    if (outer.fragment() != 0) {
                        throw new CorruptedFrameException("fragment from a hop");
                    }
                    datagram.skipBytes(outer.length());
                }
                Socks5UdpHeader.Parsed innermost = Socks5UdpHeader.parse(datagram);
                if (innermost.fragment() != 0) {
                    throw new CorruptedFrameException("fragment from a hop");
                }
                payloadSize = datagram.readableBytes() - innermost.length();
            } catch (CorruptedFrameException e) {
                datagram.readerIndex(start);
                drop("malformed datagram from the chain: " + e.getMessage());
                return;
            }
            toClient = datagram.retainedSlice();
        }
        if (!clientSide.isWritable()) {
            toClient.release();
            drop("client-side socket not writable");
            return;
        }
        lastActivity = System.nanoTime();
        clientSide.write(new DatagramPacket(toClient, new InetSocketAddress(clientIp, clientPort)), clientSide.voidPromise());
        session.addBytesToClient(payloadSize);
    }

    private void drop(String why) {
        dropped++;
        if (log.isTraceEnabled()) {
            log.trace("session {}: dropped a datagram: {}", session.id(), why);
        }
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleTimer = control.eventLoop().schedule(() -> {
            long idle = System.nanoTime() - lastActivity;
            long timeout = config.idleTimeout().toNanos();
            if (idle >= timeout) {
                close("udp idle timeout");
            } else if (!closed) {
                scheduleIdleCheck(timeout - idle);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private enum State {
        CHECKING,
        ALLOWED,
        REFUSED
    }

    /** One destination as the client names it, with its verdict and the datagrams waiting for it. */
    private static final class Target {
        final InetSocketAddress requested;
        final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
        State state = State.CHECKING;
        InetSocketAddress sendTo;
        long checkedAt;
        long lastUsed;

        Target(InetSocketAddress requested) {
            this.requested = requested;
        }

        int waitingBytes() {
            int total = 0;
            for (ByteBuf payload : waiting) {
                total += payload.readableBytes();
            }
            return total;
        }

        void releaseWaiting() {
            waiting.forEach(ReferenceCountUtil::release);
            waiting.clear();
        }
    }

    /**
     * Reads one of the two datagram sockets and flushes the other after each batch. Socket errors are
     * logged only: an ICMP error for one destination (port unreachable) must not end the association.
     */
    private final class DatagramSocketHandler extends ChannelInboundHandlerAdapter {
        private final Consumer<DatagramPacket> onPacket;
        private final Supplier<Channel> other;
        private final String socketName;

        DatagramSocketHandler(Consumer<DatagramPacket> onPacket, Supplier<Channel> other, String socketName) {
            this.onPacket = onPacket;
            this.other = other;
            this.socketName = socketName;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!closed && msg instanceof DatagramPacket packet) {
                    onPacket.accept(packet);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            Channel target = other.get();
            if (target != null) {
                target.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("session {}: UDP {} socket error", session.id(), socketName, cause);
        }
    }

    /** The client's TCP connection after the reply: discards what it sends, ends with it. */
    private final class ControlHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                close("client closed");
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close("client connection error: " + cause.getMessage());
        }
    }

    /** A hop's control connection: nothing should arrive on it; its end ends the association. */
    private final class HopControlHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
