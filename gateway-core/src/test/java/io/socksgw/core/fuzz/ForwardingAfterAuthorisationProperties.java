package io.socksgw.core.fuzz;

import static io.socksgw.core.fuzz.ByteStreams.concat;
import static io.socksgw.core.fuzz.ByteStreams.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.fuzz.ClientInputs.ValidHandshake;
import io.socksgw.core.fuzz.HandshakeModel.Expectation;
import io.socksgw.core.testing.Socks4Wire;
import io.socksgw.core.testing.Socks5Wire;
import java.nio.charset.StandardCharsets;
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
 * Not a byte leaves for a destination before the request was authorised: the connector is asked
 * only for a complete, valid request from a client the authenticator accepted and that the policy
 * allowed, and a client that pipelines its data behind a refused login or a denied request never
 * gets any of it through.
 */
@AddLifecycleHook(NoLeakedBuffers.class)
class ForwardingAfterAuthorisationProperties {

    /** The login the USERS profile accepts, as it appears on the wire. */
    private static final byte[] GOOD_LOGIN = Socks5Wire.login(ServerProfile.USER, ServerProfile.PASSWORD);

    @Property(tries = 500)
    void theConnectorIsAskedOnlyForAnAcceptedAndAllowedRequest(@ForAll ServerProfile profile,
            @ForAll("nearlyValidInputs") byte[] input, @ForAll("cuts") List<Integer> cuts) {
        Expectation expected = HandshakeModel.expect(profile, input);
        Assume.that(expected.knownBug() == null);

        ServerRun run = ServerRun.of(profile, ByteStreams.split(input, cuts));
        Statistics.label("profile, connected").collect(profile, !run.requests().isEmpty());

        if (run.requests().isEmpty()) {
            assertThat(run.forwarded()).as("bytes at the destination without a connection: %s", run).isEmpty();
        } else {
            // Said without the model: what must have been on the wire for the connector to be asked at all.
            assertThat(profile.allowsRequests()).as("connected under a policy that denies everything: %s", run)
                    .isTrue();
            if (profile == ServerProfile.USERS) {
                assertThat(contains(input, GOOD_LOGIN) || contains(input, Socks4Wire.terminated(ServerProfile.USER)))
                        .as("connected without the right credentials in [%s]: %s", hex(input), run).isTrue();
            }
            assertThat(run.requests()).as("one request per connection").hasSize(1);
            assertThat(endsWith(input, run.forwarded())).as("forwarded bytes come from behind the request").isTrue();
        }
        run.assertMatches(expected, input);
    }

    @Property(tries = 300)
    void dataPipelinedBehindAWrongPasswordNeverReachesTheDestination(@ForAll("wrongLogins") byte[] login,
            @ForAll("requests") byte[] request, @ForAll("data") byte[] data, @ForAll("cuts") List<Integer> cuts) {
        byte[] input = concat(Socks5Wire.greeting(0x02), login, request, data);

        ServerRun run = ServerRun.of(ServerProfile.USERS, ByteStreams.split(input, cuts));

        assertThat(hex(run.replies())).as("replies: password chosen, login failed").isEqualTo("05 02 01 ff");
        assertThat(run.open()).isFalse();
        assertThat(run.requests()).isEmpty();
        assertThat(run.forwarded()).isEmpty();
    }

    @Property(tries = 300)
    void dataPipelinedBehindAnUnknownSocks4UserIdNeverReachesTheDestination(
            @ForAll("socks4Requests") ValidHandshake handshake, @ForAll("cuts") List<Integer> cuts) {
        // The generated handshake names a user id other than alice's; under USERS it is refused.
        byte[] input = handshake.bytes();
        Expectation expected = HandshakeModel.expect(ServerProfile.USERS, input);
        Statistics.label("refused because").collect(expected.why());

        ServerRun run = ServerRun.of(ServerProfile.USERS, ByteStreams.split(input, cuts));

        assertThat(hex(run.replies())).isEqualTo(hex(HandshakeModel.SOCKS4_REJECTED));
        assertThat(run.open()).isFalse();
        assertThat(run.requests()).isEmpty();
        assertThat(run.forwarded()).isEmpty();
    }

    @Property(tries = 300)
    void dataPipelinedBehindADeniedRequestNeverReachesTheDestination(
            @ForAll("handshakesForEveryone") ValidHandshake handshake, @ForAll("cuts") List<Integer> cuts) {
        ServerRun run = ServerRun.of(ServerProfile.DENY_ALL, ByteStreams.split(handshake.bytes(), cuts));

        String expected = handshake.dialect().equals("SOCKS5")
                ? "05 00 " + hex(HandshakeModel.socks5Failure(0x02)) : hex(HandshakeModel.SOCKS4_REJECTED);
        assertThat(hex(run.replies())).isEqualTo(expected);
        assertThat(run.open()).isFalse();
        assertThat(run.requests()).isEmpty();
        assertThat(run.forwarded()).isEmpty();
    }

    @Provide
    Arbitrary<byte[]> nearlyValidInputs() {
        Arbitrary<byte[]> valid = ClientInputs.validHandshakes().map(ValidHandshake::bytes);
        return Arbitraries.frequencyOf(
                Tuple.of(2, valid),
                Tuple.of(2, ByteStreams.truncated(valid)),
                Tuple.of(5, ByteStreams.mutated(valid)));
    }

    @Provide
    Arbitrary<byte[]> wrongLogins() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(ServerProfile.USER, ""),
                Arbitraries.strings().ofMaxLength(40));
        Arbitrary<String> passwords = Arbitraries.oneOf(Arbitraries.of(ServerProfile.PASSWORD, ""),
                Arbitraries.strings().ofMaxLength(40));
        return Combinators.combine(names, passwords)
                .filter((user, password) -> !(user.equals(ServerProfile.USER) && password.equals(ServerProfile.PASSWORD)))
                .filter((user, password) -> user.getBytes(StandardCharsets.UTF_8).length <= 255
                        && password.getBytes(StandardCharsets.UTF_8).length <= 255)
                .as(Socks5Wire::login);
    }

    @Provide
    Arbitrary<byte[]> requests() {
        return ClientInputs.socks5Connect();
    }

    @Provide
    Arbitrary<byte[]> data() {
        return ClientInputs.payload().filter(data -> data.length > 0);
    }

    @Provide
    Arbitrary<ValidHandshake> socks4Requests() {
        // Valid under NO_AUTH (any user id), so only the user id can make USERS refuse them.
        return Arbitraries.oneOf(ClientInputs.socks4(), ClientInputs.socks4a())
                .filter(h -> h.profile() == ServerProfile.NO_AUTH)
                .filter(h -> !contains(h.handshake(), Socks4Wire.terminated(ServerProfile.USER)))
                .filter(h -> h.payload().length > 0);
    }

    @Provide
    Arbitrary<ValidHandshake> handshakesForEveryone() {
        return Arbitraries.oneOf(ClientInputs.socks5NoAuth(), ClientInputs.socks4(), ClientInputs.socks4a())
                .filter(h -> h.profile() == ServerProfile.NO_AUTH && h.payload().length > 0);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return ByteStreams.cuts();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean endsWith(byte[] input, byte[] suffix) {
        return suffix.length <= input.length
                && Arrays.equals(Arrays.copyOfRange(input, input.length - suffix.length, input.length), suffix);
    }
}
