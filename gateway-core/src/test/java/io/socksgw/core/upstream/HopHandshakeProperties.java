package io.socksgw.core.upstream;

import static io.socksgw.core.fuzz.ByteStreams.bytes;
import static io.socksgw.core.fuzz.ByteStreams.concat;
import static io.socksgw.core.fuzz.ByteStreams.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Promise;
import io.socksgw.api.Failure.Kind;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.core.fuzz.ByteStreams;
import io.socksgw.core.fuzz.NoLeakedBuffers;
import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * The client side of a hop's handshake ({@link HopHandshakeHandler}) against whatever a hop may
 * send: any bytes, in any reads. Nothing escapes the pipeline, no buffer leaks, and the handshake's
 * promise always completes (at the latest when the hop closes), successfully only for a valid
 * success reply, so a garbage hop can never hang a session.
 */
@AddLifecycleHook(NoLeakedBuffers.class)
class HopHandshakeProperties {

    /** What the gateway asks of the hop; {@code target} null is a health probe. */
    record Setup(SocksVersion protocol, HopCredentials credentials, HopTarget target, boolean lastHop,
            HopCommand command) {

        boolean login() {
            return credentials instanceof HopCredentials.UsernamePassword;
        }

        @Override
        public String toString() {
            return protocol + " " + (target == null ? "probe" : command + " " + target) + " with " + credentials
                    + (lastHop ? ", last hop" : ", inner hop");
        }
    }

    /** A setup, the hop's bytes, and where the reads split them. */
    record Exchange(Setup setup, byte[] replies, List<Integer> cuts) {
        @Override
        public String toString() {
            return setup + ": hop sends [" + hex(replies) + "] in reads cut at " + cuts;
        }
    }

    @Property(tries = 1000)
    void anyHopReplyCompletesTheHandshakeAndSucceedsOnlyOnAValidSuccessReply(@ForAll("exchanges") Exchange exchange) {
        Setup setup = exchange.setup();
        Verdict expected = Verdict.of(setup, exchange.replies());
        boolean trailing = expected.state() == Verdict.State.SUCCEEDED && expected.end() < exchange.replies().length;
        Statistics.label("verdict").collect(expected.state(), trailing ? "bytes behind" : "");
        Statistics.label("setup").collect(setup.protocol(), setup.target() == null ? "probe" : setup.command());

        try (Handshake handshake = Handshake.start(setup)) {
            handshake.hopSends(ByteStreams.split(exchange.replies(), exchange.cuts()));
            String context = exchange + "\nexpected " + expected + "\nbut " + handshake;

            switch (expected.state()) {
                case SUCCEEDED -> {
                    if (trailing && !setup.lastHop()) {
                        // Bytes behind an inner hop's reply belong to no one: either answer is acceptable here
                        // (see bytesBehindAnInnerHopsFinalReplyFailTheHandshake).
                        assertThat(handshake.done.isDone()).as("completed; " + context).isTrue();
                    } else {
                        assertThat(handshake.done.isSuccess()).as("succeeded; " + context).isTrue();
                        assertThat(handshake.done.getNow()).as("bound address; " + context)
                                .isEqualTo(expected.bound() != null ? expected.bound() : HopChannel.LOCAL);
                        assertThat(handshake.channel.pipeline().names()).as("codecs gone; " + context)
                                .doesNotContain(HopHandshakeHandler.DECODER, HopHandshakeHandler.ENCODER,
                                        HopHandshakeHandler.NAME);
                    }
                }
                case FAILED -> {
                    assertThat(handshake.done.isDone() && !handshake.done.isSuccess()).as("failed; " + context).isTrue();
                    assertThat(handshake.done.cause()).as("failure; " + context)
                            .isInstanceOfSatisfying(HopHandshakeException.class, e -> {
                                assertThat(e.replyCode()).as("reply code; " + context).isEqualTo(expected.code());
                                if (expected.kind() != null) {
                                    assertThat(e.kind()).as("kind; " + context).isEqualTo(expected.kind());
                                }
                            });
                    assertThat(handshake.channel.isOpen()).as("closed after a failure; " + context).isFalse();
                }
                case AWAITING -> {
                    assertThat(handshake.done.isDone()).as("still waiting for the reply; " + context).isFalse();
                    handshake.hopCloses();
                    assertThat(handshake.done.cause()).as("failed when the hop closed; " + context)
                            .isInstanceOfSatisfying(HopHandshakeException.class,
                                    e -> assertThat(e.kind()).isEqualTo(Kind.CLOSED));
                    assertThat(handshake.channel.isOpen()).isFalse();
                }
            }
            if (setup.command() == HopCommand.BIND) {
                if (expected.listening() != null) {
                    assertThat(handshake.listening.getNow()).as("BIND's first reply; " + context)
                            .isEqualTo(expected.listening());
                } else {
                    assertThat(handshake.listening.isDone()).as("no first BIND reply; " + context).isFalse();
                }
            }
        }
    }

    /**
     * Bytes that came in the same read as the last hop's final reply are the destination's first
     * (a server's banner, say): the handshake holds them, in order, for the tunnel, and none falls off
     * the end of the pipeline.
     */
    @Property(tries = 300)
    void bytesBehindTheLastHopsFinalReplyAreHeldForTheTunnel(
            @ForAll("lastHopSuccessesWithBytesBehind") Exchange exchange) {
        Verdict expected = Verdict.of(exchange.setup(), exchange.replies());
        byte[] behind = Arrays.copyOfRange(exchange.replies(), expected.end(), exchange.replies().length);

        try (Handshake handshake = Handshake.start(exchange.setup())) {
            handshake.hopSends(List.of(exchange.replies()));

            assertThat(handshake.done.isSuccess()).as("succeeded: %s", handshake).isTrue();
            assertThat(handshake.passedThrough()).as("bytes that fell off the end of the pipeline").isEmpty();
            assertThat(handshake.channel.pipeline().get(EarlyDataBuffer.NAME)).as("early data buffer").isNotNull();
            handshake.channel.pipeline().remove(EarlyDataBuffer.NAME); // as the tunnel takes over
            assertThat(hex(handshake.passedThrough())).as("handed to the tunnel").isEqualTo(hex(behind));
        }
    }

    /**
     * Behind an inner hop's reply (or a UDP ASSOCIATE reply, whose connection carries no data) nothing
     * may come: {@code channelRead} fails the handshake on such bytes, as a protocol error.
     */
    @Property(tries = 300)
    void bytesBehindAnInnerHopsFinalReplyFailTheHandshake(
            @ForAll("innerHopSuccessesWithBytesBehind") Exchange exchange) {

        try (Handshake handshake = Handshake.start(exchange.setup())) {
            handshake.hopSends(List.of(exchange.replies()));

            assertThat(handshake.done.cause()).as("failure: %s", handshake)
                    .isInstanceOfSatisfying(HopHandshakeException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.PROTOCOL_ERROR));
            assertThat(handshake.channel.isOpen()).isFalse();
        }
    }

    /** The shrunk counterexample of the property above. */
    @Example
    void aByteBehindAUdpAssociateReplyFailsTheHandshake() {
        Setup setup = new Setup(SocksVersion.SOCKS5, HopCredentials.NONE,
                new HopTarget(new InetSocketAddress(address(bytes(0, 0, 0, 0)), 1)), false, HopCommand.UDP_ASSOCIATE);

        try (Handshake handshake = Handshake.start(setup)) {
            handshake.hopSends(List.of(bytes(5, 0, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)));

            assertThat(handshake.done.cause()).as("failure: %s", handshake)
                    .isInstanceOfSatisfying(HopHandshakeException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.PROTOCOL_ERROR));
        }
    }

    // --- the handshake on an in-memory channel

    /** One handshake on its own channel; closing releases everything and rethrows a pipeline exception. */
    private static final class Handshake implements AutoCloseable {
        final HopChannel channel = new HopChannel();
        final Promise<InetSocketAddress> listening = channel.eventLoop().newPromise();
        final Promise<InetSocketAddress> done = channel.eventLoop().newPromise();

        static Handshake start(Setup setup) {
            Handshake handshake = new Handshake();
            Hop hop = Hop.of("fuzzed-hop", setup.protocol(), "192.0.2.1", 1080, setup.credentials());
            HopHandshakeHandler.start(handshake.channel.pipeline(), new HopHandshakeHandler(hop, setup.credentials(),
                    setup.target(), setup.lastHop(), setup.command(),
                    setup.command() == HopCommand.BIND ? handshake.listening : null, handshake.done));
            handshake.channel.checkException();
            return handshake;
        }

        /** Each chunk is one read; a closed channel reads nothing more. writeInbound rethrows escapes. */
        void hopSends(List<byte[]> reads) {
            for (byte[] read : reads) {
                if (!channel.isOpen()) {
                    break;
                }
                channel.writeInbound(Unpooled.wrappedBuffer(read));
            }
            channel.checkException();
        }

        /** The hop half-closes (the gateway's channels allow half-closure), then the channel closes. */
        void hopCloses() {
            channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            channel.checkException();
        }

        /** The bytes that reached the end of the pipeline (where, on a real channel, nothing reads them). */
        byte[] passedThrough() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Object message;
            while ((message = channel.readInbound()) != null) {
                ByteBuf data = (ByteBuf) message;
                out.writeBytes(ByteBufUtil.getBytes(data));
                data.release();
            }
            return out.toByteArray();
        }

        @Override
        public void close() {
            channel.finishAndReleaseAll();
        }

        @Override
        public String toString() {
            return "promise " + (done.isSuccess() ? "succeeded with " + done.getNow()
                    : done.isDone() ? "failed: " + done.cause() : "pending")
                    + ", channel " + (channel.isOpen() ? "open" : "closed") + ", pipeline " + channel.pipeline().names();
        }
    }

    /** An in-memory channel with socket addresses, as a probe reads its local address off a real one. */
    private static final class HopChannel extends EmbeddedChannel {
        static final InetSocketAddress LOCAL = new InetSocketAddress(address(bytes(192, 0, 2, 200)), 40_000);
        static final InetSocketAddress REMOTE = new InetSocketAddress(address(bytes(192, 0, 2, 1)), 1080);

        @Override
        protected SocketAddress localAddress0() {
            return isActive() ? LOCAL : null;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return isActive() ? REMOTE : null;
        }
    }

    // --- what the handshake must conclude

    /**
     * What the handshake must conclude from the hop's bytes, from RFC 1928/1929 and SOCKS4 (a name in
     * a reply goes through {@link IDN#toASCII(String)} as Netty's decoder does).
     *
     * @param listening BIND's first reply, once it came
     * @param bound the final reply's address; null for a probe (the channel's own address)
     * @param end where the final reply ends in the bytes
     * @param kind the failure's kind, where it says more than the code; null for a hop's failure reply
     * @param code the hop's failure reply code, -1 when it sent none
     */
    record Verdict(State state, InetSocketAddress listening, InetSocketAddress bound, int end, Kind kind, int code,
            String why) {

        enum State { AWAITING, SUCCEEDED, FAILED }

        static Verdict of(Setup setup, byte[] in) {
            if (setup.protocol() != SocksVersion.SOCKS5) {
                if (setup.target() == null) {
                    return new Verdict(State.SUCCEEDED, null, null, 0, null, -1, "a SOCKS4 probe only connects");
                }
                return replies(setup, in, 0, Verdict::socks4Reply);
            }
            if (in.length < 1) {
                return awaiting("method selection incomplete");
            }
            if ((in[0] & 0xff) != 5) {
                return failed(Kind.PROTOCOL_ERROR, -1, "method selection version");
            }
            if (in.length < 2) {
                return awaiting("method selection incomplete");
            }
            int method = in[1] & 0xff;
            int p = 2;
            if (method == 0x02 && setup.login()) {
                if (in.length < 3) {
                    return awaiting("login reply incomplete");
                }
                if ((in[2] & 0xff) != 1) {
                    return failed(Kind.PROTOCOL_ERROR, -1, "login reply version");
                }
                if (in.length < 4) {
                    return awaiting("login reply incomplete");
                }
                if (in[3] != 0) {
                    return failed(Kind.HOP_AUTH_FAILED, -1, "login refused");
                }
                p = 4;
            } else if (method != 0x00) {
                return failed(Kind.HOP_AUTH_FAILED, -1, "no method of ours chosen");
            }
            if (setup.target() == null) {
                return new Verdict(State.SUCCEEDED, null, null, p, null, -1, "probe authenticated");
            }
            return replies(setup, in, p, Verdict::socks5Reply);
        }

        /** One reply, or BIND's two. */
        private static Verdict replies(Setup setup, byte[] in, int p, ReplyReader reader) {
            Reply first = reader.read(in, p);
            if (first.verdict() != null) {
                return first.verdict();
            }
            if (!first.success()) {
                return failed(null, first.status(), "failure reply");
            }
            if (setup.command() != HopCommand.BIND) {
                return new Verdict(State.SUCCEEDED, null, first.bound(), first.end(), null, -1, "success reply");
            }
            Reply second = reader.read(in, first.end());
            Verdict verdict = second.verdict() != null ? second.verdict()
                    : !second.success() ? failed(null, second.status(), "failure as BIND's second reply")
                    : new Verdict(State.SUCCEEDED, null, second.bound(), second.end(), null, -1, "BIND's second reply");
            return new Verdict(verdict.state(), first.bound(), verdict.bound(), verdict.end(), verdict.kind(),
                    verdict.code(), verdict.why());
        }

        private interface ReplyReader {
            Reply read(byte[] in, int p);
        }

        /** A reply read at some position: complete (status, address, end), or the verdict it already forces. */
        private record Reply(Verdict verdict, boolean success, int status, InetSocketAddress bound, int end) {
            static Reply decided(Verdict verdict) {
                return new Reply(verdict, false, -1, null, -1);
            }
        }

        private static Reply socks5Reply(byte[] in, int p) {
            int left = in.length - p;
            if (left < 1) {
                return Reply.decided(awaiting("reply incomplete"));
            }
            if ((in[p] & 0xff) != 5) {
                return Reply.decided(failed(Kind.PROTOCOL_ERROR, -1, "reply version"));
            }
            if (left < 4) {
                return Reply.decided(awaiting("reply incomplete"));
            }
            int addressEnd;
            String host;
            switch (in[p + 3] & 0xff) {
                case 1, 4 -> {
                    addressEnd = p + 4 + ((in[p + 3] & 0xff) == 1 ? 4 : 16);
                    if (in.length < addressEnd) {
                        return Reply.decided(awaiting("reply incomplete"));
                    }
                    host = NetUtil.bytesToIpAddress(Arrays.copyOfRange(in, p + 4, addressEnd));
                }
                case 3 -> {
                    if (left < 5 || in.length < p + 5 + (in[p + 4] & 0xff)) {
                        return Reply.decided(awaiting("reply incomplete"));
                    }
                    addressEnd = p + 5 + (in[p + 4] & 0xff);
                    if (in.length < addressEnd + 2) {
                        // Netty's decoder reads the whole reply, port included, before it looks at the name.
                        return Reply.decided(awaiting("reply incomplete"));
                    }
                    try {
                        host = IDN.toASCII(new String(in, p + 5, addressEnd - p - 5, StandardCharsets.ISO_8859_1));
                    } catch (IllegalArgumentException e) {
                        return Reply.decided(failed(Kind.PROTOCOL_ERROR, -1, "BND.ADDR refused by IDN"));
                    }
                    if (host.length() > 255) {
                        return Reply.decided(failed(Kind.PROTOCOL_ERROR, -1, "BND.ADDR too long"));
                    }
                }
                default -> {
                    return Reply.decided(failed(Kind.PROTOCOL_ERROR, -1, "reply ATYP"));
                }
            }
            if (in.length < addressEnd + 2) {
                return Reply.decided(awaiting("reply incomplete"));
            }
            int port = ((in[addressEnd] & 0xff) << 8) | (in[addressEnd + 1] & 0xff);
            int status = in[p + 1] & 0xff;
            return new Reply(null, status == 0, status, socketAddress(host, port), addressEnd + 2);
        }

        private static Reply socks4Reply(byte[] in, int p) {
            int left = in.length - p;
            if (left < 1) {
                return Reply.decided(awaiting("reply incomplete"));
            }
            if (in[p] != 0) {
                return Reply.decided(failed(Kind.PROTOCOL_ERROR, -1, "reply version"));
            }
            if (left < 8) {
                return Reply.decided(awaiting("reply incomplete"));
            }
            int status = in[p + 1] & 0xff;
            int port = ((in[p + 2] & 0xff) << 8) | (in[p + 3] & 0xff);
            InetSocketAddress bound = new InetSocketAddress(address(Arrays.copyOfRange(in, p + 4, p + 8)), port);
            return new Reply(null, status == 0x5a, status, bound, p + 8);
        }

        /** A reply's address as the gateway reports it: an IP literal resolved, a name unresolved. */
        private static InetSocketAddress socketAddress(String host, int port) {
            InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
            return literal != null ? new InetSocketAddress(literal, port) : InetSocketAddress.createUnresolved(host, port);
        }

        private static Verdict awaiting(String why) {
            return new Verdict(State.AWAITING, null, null, -1, null, -1, why);
        }

        private static Verdict failed(Kind kind, int code, String why) {
            return new Verdict(State.FAILED, null, null, -1, kind, code, why);
        }
    }

    // --- generators

    @Provide
    Arbitrary<Exchange> exchanges() {
        return setups().flatMap(setup -> Combinators.combine(hopBytes(setup), ByteStreams.cuts())
                .as((replies, cuts) -> new Exchange(setup, replies, cuts)));
    }

    @Provide
    Arbitrary<Exchange> lastHopSuccessesWithBytesBehind() {
        return successesWithBytesBehind(true);
    }

    @Provide
    Arbitrary<Exchange> innerHopSuccessesWithBytesBehind() {
        return successesWithBytesBehind(false);
    }

    /** Valid success replies with bytes behind them, in one read. */
    private static Arbitrary<Exchange> successesWithBytesBehind(boolean lastHop) {
        return setups().filter(setup -> setup.target() != null && setup.lastHop() == lastHop)
                .flatMap(setup -> Combinators.combine(validReplies(setup, true),
                                ByteStreams.anyBytes(16).filter(b -> b.length > 0))
                        .as((replies, behind) -> new Exchange(setup, concat(replies, behind), List.of())));
    }

    private static Arbitrary<Setup> setups() {
        Arbitrary<Integer> ports = Arbitraries.integers().between(1, 65535);
        Arbitrary<HopTarget> ipv4 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(4), ports)
                .as((ip, port) -> new HopTarget(new InetSocketAddress(address(ip), port)));
        Arbitrary<HopTarget> ipv6 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(16), ports)
                .as((ip, port) -> new HopTarget(new InetSocketAddress(address(ip), port)));
        Arbitrary<HopTarget> domain = Combinators.combine(
                        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12).list().ofMinSize(1)
                                .ofMaxSize(3).map(labels -> String.join(".", labels)), ports)
                .as((name, port) -> new HopTarget(InetSocketAddress.createUnresolved(name, port)));
        Arbitrary<Setup> socks5 = Combinators.combine(
                        Arbitraries.of(HopCredentials.NONE, new HopCredentials.UsernamePassword("fuzz", "secret")),
                        Arbitraries.oneOf(ipv4, ipv6, domain).injectNull(0.15),
                        Arbitraries.of(HopCommand.class), Arbitraries.of(true, false))
                .as((credentials, target, command, last) -> setup(SocksVersion.SOCKS5, credentials, target, command, last));
        Arbitrary<Setup> socks4 = Combinators.combine(
                        Arbitraries.of(HopCredentials.NONE, new HopCredentials.UserId("fuzz")),
                        Arbitraries.oneOf(ipv4, domain).injectNull(0.1),
                        Arbitraries.of(HopCommand.CONNECT, HopCommand.BIND), Arbitraries.of(true, false))
                .as((credentials, target, command, last) -> setup(SocksVersion.SOCKS4, credentials, target, command, last));
        return Arbitraries.frequencyOf(Tuple.of(3, socks5), Tuple.of(1, socks4));
    }

    /** As ChainConnector asks: probes CONNECT nothing, BIND only at the last hop, UDP's TCP carries no data. */
    private static Setup setup(SocksVersion protocol, HopCredentials credentials, HopTarget target, HopCommand command,
            boolean last) {
        HopCommand asked = target == null ? HopCommand.CONNECT : command;
        boolean lastHop = switch (asked) {
            case BIND -> true;
            case UDP_ASSOCIATE -> false;
            case CONNECT -> last;
        };
        return new Setup(protocol, credentials, target, lastHop, asked);
    }

    /** What a hop may send: valid replies (with data behind), refusals, their edits and prefixes, noise. */
    private static Arbitrary<byte[]> hopBytes(Setup setup) {
        Arbitrary<byte[]> valid = validReplies(setup, true);
        return Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(valid, ByteStreams.anyBytes(8)).as((r, behind) -> concat(r, behind))),
                Tuple.of(3, ByteStreams.mutated(valid)),
                Tuple.of(2, ByteStreams.truncated(valid)),
                Tuple.of(1, validReplies(setup, false)),
                Tuple.of(1, ByteStreams.anyBytes(40)));
    }

    /** The method selection, login and reply(ies) of a hop that agrees, or that refuses at some step. */
    private static Arbitrary<byte[]> validReplies(Setup setup, boolean success) {
        if (setup.protocol() != SocksVersion.SOCKS5) {
            Arbitrary<byte[]> reply = socks4Reply(success);
            return setup.target() == null ? Arbitraries.just(new byte[0])
                    : setup.command() == HopCommand.BIND
                    ? Combinators.combine(socks4Reply(true), reply).as(ByteStreams::concat) : reply;
        }
        Arbitrary<byte[]> authentication = setup.login()
                ? Arbitraries.of(bytes(5, 0), bytes(5, 2, 1, 0)) : Arbitraries.just(bytes(5, 0));
        if (!success) {
            Arbitrary<byte[]> refusedLogin = Arbitraries.integers().between(1, 255).map(status -> bytes(5, 2, 1, status));
            Arbitrary<byte[]> noMethod = Arbitraries.integers().between(1, 255).filter(m -> m != 2)
                    .map(method -> bytes(5, method));
            authentication = Arbitraries.oneOf(authentication, setup.login() ? refusedLogin : noMethod);
        }
        if (setup.target() == null) {
            return authentication;
        }
        Arbitrary<byte[]> reply = socks5Reply(success);
        Arbitrary<byte[]> replies = setup.command() == HopCommand.BIND
                ? Combinators.combine(socks5Reply(true), reply).as(ByteStreams::concat) : reply;
        return Combinators.combine(authentication, replies).as(ByteStreams::concat);
    }

    private static Arbitrary<byte[]> socks5Reply(boolean success) {
        Arbitrary<Integer> status = success ? Arbitraries.just(0) : Arbitraries.integers().between(1, 255);
        Arbitrary<byte[]> address = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(4).map(ip -> concat(bytes(1), ip)),
                Arbitraries.bytes().array(byte[].class).ofSize(16).map(ip -> concat(bytes(4), ip)),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(30)
                        .map(name -> concat(bytes(3, name.length()), name.getBytes(StandardCharsets.US_ASCII))));
        return Combinators.combine(status, address, Arbitraries.integers().between(0, 65535))
                .as((code, bound, port) -> concat(bytes(5, code, 0), bound, bytes(port >> 8, port & 0xff)));
    }

    private static Arbitrary<byte[]> socks4Reply(boolean success) {
        Arbitrary<Integer> status = success ? Arbitraries.just(0x5a)
                : Arbitraries.integers().between(0, 255).filter(code -> code != 0x5a);
        return Combinators.combine(status, Arbitraries.bytes().array(byte[].class).ofSize(6))
                .as((code, portAndIp) -> concat(bytes(0, code), portAndIp));
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
