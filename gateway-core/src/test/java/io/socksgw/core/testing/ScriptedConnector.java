package io.socksgw.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import io.socksgw.api.Failure;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Route;
import io.socksgw.core.upstream.AttemptObserver;
import io.socksgw.core.upstream.ConnectAttemptException;
import io.socksgw.core.upstream.ConnectRequest;
import io.socksgw.core.upstream.Connector;
import io.socksgw.core.upstream.OutboundConnection;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Connector} that answers every request the same scripted way, at once: with a failure,
 * with a connection to an in-memory destination (an {@link EmbeddedChannel}, so a test can see what
 * the relay forwarded and answer back), or never. It records each request it was given.
 */
public final class ScriptedConnector implements Connector {

    /** What the destination connection reports as its local address (the SOCKS BND.ADDR/BND.PORT). */
    public static final InetSocketAddress BOUND = new InetSocketAddress(ip(198, 51, 100, 7), 4321);

    /** Where a domain destination "resolves" to. */
    public static final InetAddress RESOLVED = ip(203, 0, 113, 5);

    private enum Mode { CONNECT, FAIL, HANG }

    private final Mode mode;
    private final Failure failure;
    private final List<SocksRequest> requests = new CopyOnWriteArrayList<>();
    private final List<EmbeddedChannel> destinations = new CopyOnWriteArrayList<>();

    private ScriptedConnector(Mode mode, Failure failure) {
        this.mode = mode;
        this.failure = failure;
    }

    /** Connects every request to a fresh in-memory destination. */
    public static ScriptedConnector connecting() {
        return new ScriptedConnector(Mode.CONNECT, null);
    }

    /** Fails every request with {@code failure}, wrapped in {@link ConnectAttemptException} as the real connector does. */
    public static ScriptedConnector failingWith(Failure failure) {
        return new ScriptedConnector(Mode.FAIL, failure);
    }

    /** Never answers: the request stays in flight (to see what the handshake does meanwhile). */
    public static ScriptedConnector hanging() {
        return new ScriptedConnector(Mode.HANG, null);
    }

    @Override
    public Future<OutboundConnection> connect(EventLoop loop, Route route, ConnectRequest connectRequest) {
        SocksRequest request = connectRequest.request();
        AttemptObserver observer = connectRequest.observer();
        requests.add(request);
        Chain chain = route.candidates().get(0);
        switch (mode) {
            case FAIL -> {
                observer.failed(chain, failure);
                return loop.newFailedFuture(new ConnectAttemptException(failure));
            }
            case HANG -> {
                return loop.newPromise();
            }
            default -> {
                InetSocketAddress remote = request.destination().isDomain()
                        ? new InetSocketAddress(RESOLVED, request.destination().port())
                        : request.destination().toSocketAddress();
                EmbeddedChannel destination = new DestinationChannel(BOUND, remote);
                destination.config().setAutoRead(false); // as DirectConnector hands its channels over
                destinations.add(destination);
                observer.succeeded(chain);
                return loop.newSucceededFuture(new OutboundConnection(destination, chain, BOUND, remote));
            }
        }
    }

    /** Whether a request is in flight that this connector will never answer. */
    public boolean leftARequestHanging() {
        return mode == Mode.HANG && !requests.isEmpty();
    }

    /** Every request this connector was asked to connect, in order. */
    public List<SocksRequest> requests() {
        return List.copyOf(requests);
    }

    /** The in-memory destination of the one connection made. */
    public EmbeddedChannel destination() {
        if (destinations.size() != 1) {
            throw new AssertionError("expected exactly one connection, made " + destinations.size());
        }
        return destinations.get(0);
    }

    /** Every destination channel made so far. */
    public List<EmbeddedChannel> destinations() {
        return List.copyOf(destinations);
    }

    /** The bytes the relay wrote to the destination since the last call (released once read). */
    public byte[] receivedByDestination() {
        EmbeddedChannel destination = destination();
        destination.runPendingTasks();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Object message;
        while ((message = destination.readOutbound()) != null) {
            if (!(message instanceof ByteBuf buf)) {
                io.netty.util.ReferenceCountUtil.release(message);
                throw new AssertionError("the destination was sent an object, not bytes: " + message);
            }
            bytes.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return bytes.toByteArray();
    }

    /** Closes every destination and releases whatever they still hold. */
    public void closeAll() {
        for (EmbeddedChannel destination : destinations) {
            destination.finishAndReleaseAll();
        }
    }

    private static InetAddress ip(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An in-memory channel with socket addresses, as the handshake reads them off a real outbound channel. */
    private static final class DestinationChannel extends EmbeddedChannel {
        private final InetSocketAddress local;
        private final InetSocketAddress remote;

        DestinationChannel(InetSocketAddress local, InetSocketAddress remote) {
            this.local = local;
            this.remote = remote;
        }

        @Override
        protected SocketAddress localAddress0() {
            return isActive() ? local : null;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return isActive() ? remote : null;
        }
    }
}
