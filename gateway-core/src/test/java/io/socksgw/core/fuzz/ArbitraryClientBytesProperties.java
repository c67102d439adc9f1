package io.socksgw.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.fuzz.HandshakeModel.Expectation;
import io.socksgw.core.testing.Socks4Wire;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever a client sends first, the server's pipeline (version detector, codecs, handshake) answers
 * as the protocol prescribes: no exception escapes it or reaches a handler, no buffer leaks, and the
 * connection ends with the valid reply and a close, or relays, or stays open only while what arrived
 * can still become a valid request (the handshake deadline then closes it).
 */
@AddLifecycleHook(NoLeakedBuffers.class)
class ArbitraryClientBytesProperties {

    @Property(tries = 1000)
    void anyFirstBytesGetExactlyTheRepliesAndEndingTheProtocolPrescribes(
            @ForAll ServerProfile profile, @ForAll("clientBytes") byte[] input) {
        Expectation expected = HandshakeModel.expect(profile, input);
        Assume.that(expected.knownBug() == null);
        Statistics.label("ending").collect(expected.end());
        Statistics.label("decided by").collect(expected.why());

        ServerRun.of(profile, input).assertMatches(expected, input);
    }

    @Example
    void nothingSentYetLeavesTheConnectionWaitingWithoutAReply() {
        ServerRun run = ServerRun.of(ServerProfile.NO_AUTH, new byte[0]);

        assertThat(run.replies()).isEmpty();
        assertThat(run.open()).isTrue();
    }

    /**
     * Netty's {@code Socks4ServerDecoder} builds its failure message with the same DSTADDR whose
     * {@code IDN.toASCII} just failed, so the second attempt throws out of {@code decode}; the
     * handshake's {@code exceptionCaught} then closes without the 0x5B SOCKS4 has for this, and the
     * session ends INTERNAL instead of a protocol error. Any SOCKS4a name Java's IDN refuses does it:
     * an empty label (a typo like "a..b"), a label over 63 characters, a prohibited code point.
     */
    @Example
    void socks4aDomainThatIdnRefusesIsAnsweredWith5B() {
        assertRejectedWith5B(Socks4Wire.request(Socks4Wire.CONNECT, 80, ByteStreams.bytes(0, 0, 0, 1),
                Socks4Wire.terminated(""), Socks4Wire.terminated("a..b")));
    }

    /** The same, as jqwik shrank it: DSTPORT 1, DSTIP 0.0.0.1, no user id, the name 9f 61 (U+009F is prohibited). */
    @Example
    void socks4aDomainWithAProhibitedCodePointIsAnsweredWith5B() {
        assertRejectedWith5B(ByteStreams.bytes(0x04, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x9f, 0x61, 0x00));
    }

    private static void assertRejectedWith5B(byte[] input) {
        ServerRun run = ServerRun.of(ServerProfile.NO_AUTH, input);

        assertThat(ByteStreams.hex(run.replies())).isEqualTo(ByteStreams.hex(HandshakeModel.SOCKS4_REJECTED));
        assertThat(run.open()).isFalse();
        // Netty's decoder throws for these names; the handler turns that exception into the 0x5B.
        assertThat(run.handlerErrors()).hasSize(1);
    }

    @Provide
    Arbitrary<byte[]> clientBytes() {
        return ClientInputs.clientBytes();
    }
}
