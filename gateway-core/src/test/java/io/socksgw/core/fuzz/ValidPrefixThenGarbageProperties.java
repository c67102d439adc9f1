package io.socksgw.core.fuzz;

import static io.socksgw.core.fuzz.ByteStreams.bytes;
import static io.socksgw.core.fuzz.ByteStreams.concat;
import static io.socksgw.core.fuzz.ByteStreams.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.fuzz.HandshakeModel.Expectation;
import io.socksgw.core.testing.Socks4Wire;
import io.socksgw.core.testing.Socks5Wire;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * A client that starts well and then sends garbage (after its greeting, after its login, inside its
 * request) gets the error reply its protocol has for that step, then a close; or, while the garbage
 * could still be the start of something valid, no reply yet. The connector is never asked.
 */
@AddLifecycleHook(NoLeakedBuffers.class)
class ValidPrefixThenGarbageProperties {

    /** Where the garbage starts, what the server answered before it, and the errors it may answer it with. */
    enum Step {
        SOCKS5_LOGIN(ServerProfile.USERS, bytes(5, 2), List.of(bytes(1, 0xff))),
        SOCKS5_REQUEST(ServerProfile.NO_AUTH, bytes(5, 0), List.of(HandshakeModel.socks5Failure(0x01),
                HandshakeModel.socks5Failure(0x07), HandshakeModel.socks5Failure(0x08))),
        SOCKS5_REQUEST_AFTER_LOGIN(ServerProfile.USERS, bytes(5, 2, 1, 0), SOCKS5_REQUEST.errors),
        SOCKS4_REQUEST(ServerProfile.NO_AUTH, new byte[0], List.of(HandshakeModel.SOCKS4_REJECTED));

        final ServerProfile profile;
        final byte[] replies;
        final List<byte[]> errors;

        Step(ServerProfile profile, byte[] replies, List<byte[]> errors) {
            this.profile = profile;
            this.replies = replies;
            this.errors = errors;
        }
    }

    record Case(Step step, byte[] prefix, byte[] garbage) {
        byte[] input() {
            return concat(prefix, garbage);
        }

        @Override
        public String toString() {
            return step + ": [" + hex(prefix) + "] then garbage [" + hex(garbage) + "]";
        }
    }

    @Property(tries = 500)
    void garbageAfterAValidPrefixGetsAnErrorReplyOrACloseAndNeverAConnect(@ForAll("cases") Case c) {
        byte[] input = c.input();
        Expectation expected = HandshakeModel.expect(c.step().profile, input);
        // Garbage that happens to spell a valid request is a request; the other properties cover those.
        Assume.that(!expected.relays() && expected.knownBug() == null);

        ServerRun run = ServerRun.of(c.step().profile, input);

        assertThat(run.requests()).as("connector requests for %s", c).isEmpty();
        assertThat(run.forwarded()).as("bytes at the destination for %s", c).isEmpty();
        assertThat(hex(run.replies())).as("replies to the valid prefix of %s", c).startsWith(hex(c.step().replies));
        byte[] answer = Arrays.copyOfRange(run.replies(), c.step().replies.length, run.replies().length);
        Statistics.label("step").collect(c.step());
        Statistics.label("answer").collect(answer.length == 0 ? (run.open() ? "none yet" : "close") : hex(answer));
        if (answer.length > 0) {
            assertThat(c.step().errors).as("answer to the garbage of %s", c)
                    .anySatisfy(error -> assertThat(answer).isEqualTo(error));
            assertThat(run.open()).as("open after an error reply to %s", c).isFalse();
        }
        run.assertMatches(expected, input);
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<byte[]> anyGarbage = ByteStreams.anyBytes(300).filter(g -> g.length > 0);
        return Arbitraries.oneOf(
                Combinators.combine(ClientInputs.greeting(0x02), Arbitraries.oneOf(anyGarbage, loginShaped()))
                        .as((greeting, garbage) -> new Case(Step.SOCKS5_LOGIN, greeting, garbage)),
                Combinators.combine(ClientInputs.greeting(0x00), Arbitraries.oneOf(anyGarbage, requestShaped()))
                        .as((greeting, garbage) -> new Case(Step.SOCKS5_REQUEST, greeting, garbage)),
                Combinators.combine(ClientInputs.greeting(0x02), Arbitraries.oneOf(anyGarbage, requestShaped()))
                        .as((greeting, garbage) -> new Case(Step.SOCKS5_REQUEST_AFTER_LOGIN,
                                concat(greeting, Socks5Wire.login(ServerProfile.USER, ServerProfile.PASSWORD)), garbage)),
                socks4Garbage());
    }

    /** VER ULEN UNAME PLEN PASSWD with any values: mostly a wrong version, a wrong login or a short one. */
    private static Arbitrary<byte[]> loginShaped() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), ByteStreams.anyBytes(12),
                        ByteStreams.anyBytes(12), ByteStreams.anyBytes(8))
                .as((version, user, password, tail) -> concat(bytes(version, user.length), user,
                        bytes(password.length), password, tail));
    }

    /** VER=5, then a command, RSV, ATYP and address bytes that are mostly wrong. */
    private static Arbitrary<byte[]> requestShaped() {
        Arbitrary<Integer> command = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(1, 3)),
                Tuple.of(3, Arbitraries.integers().between(0, 255)));
        Arbitrary<byte[]> address = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 255).map(atyp -> bytes(atyp)),       // any ATYP, nothing behind
                Arbitraries.bytes().array(byte[].class).ofSize(6).map(a -> concat(bytes(1), a)), // IPv4 and port
                ByteStreams.anyBytes(20).map(name -> concat(bytes(3, name.length), name)), // a domain of any bytes
                Arbitraries.of(0, 13, 10).map(bad -> bytes(3, 3, 'a', bad, 'b')),          // NUL, CR or LF inside
                Arbitraries.just(bytes(3, 0)));                                          // empty domain
        return Combinators.combine(command, Arbitraries.integers().between(0, 255), address, ByteStreams.anyBytes(8))
                .as((cmd, reserved, addr, tail) -> concat(bytes(5, cmd, reserved), addr, tail));
    }

    /** SOCKS4: a command that does not exist, or a user id that never ends within 255 bytes. */
    private static Arbitrary<Case> socks4Garbage() {
        Arbitrary<Case> badCommand = Combinators.combine(
                        Arbitraries.integers().between(0, 255).filter(cd -> cd != 1 && cd != 2),
                        Arbitraries.bytes().array(byte[].class).ofSize(6), ClientInputs.userIds(), ByteStreams.anyBytes(16))
                .as((cd, portAndIp, userId, rest) -> new Case(Step.SOCKS4_REQUEST, bytes(4),
                        concat(bytes(cd), portAndIp, Socks4Wire.terminated(userId), rest)));
        Arbitrary<Case> endlessUserId = Combinators.combine(ClientInputs.ports(1),
                        Arbitraries.bytes().array(byte[].class).ofSize(4),
                        Arbitraries.integers().between(1, 255).list().ofMinSize(1).ofMaxSize(300)
                                .map(values -> bytes(values.stream().mapToInt(Integer::intValue).toArray())))
                .as((port, ip, userId) -> new Case(Step.SOCKS4_REQUEST,
                        concat(bytes(4, 1), HandshakeModel.port(port), ip), userId));
        return Arbitraries.oneOf(badCommand, endlessUserId);
    }
}
