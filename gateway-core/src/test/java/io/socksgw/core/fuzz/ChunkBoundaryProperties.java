package io.socksgw.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.core.fuzz.ClientInputs.ValidHandshake;
import io.socksgw.core.fuzz.HandshakeModel.Expectation;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * TCP keeps no message boundaries: a valid handshake (SOCKS5 with and without a login, SOCKS4,
 * SOCKS4a; IPv4, IPv6 and domain destinations) and the data pipelined behind it, cut into reads
 * anywhere, get the same replies and put the same bytes at the destination as in one read.
 */
@AddLifecycleHook(NoLeakedBuffers.class)
class ChunkBoundaryProperties {

    @Property(tries = 500)
    void aValidHandshakeCutIntoAnyReadsIsAnsweredAndRelayedAsInOneRead(
            @ForAll("validHandshakes") ValidHandshake handshake, @ForAll("cuts") List<Integer> cuts) {
        byte[] input = handshake.bytes();
        List<byte[]> reads = ByteStreams.split(input, cuts);
        Statistics.label("dialect").collect(handshake.dialect());
        Statistics.label("reads").collect(reads.size() == 1 ? "1" : reads.size() == input.length ? "one byte each"
                : reads.size() <= 4 ? "2-4" : "5+");

        ServerRun whole = ServerRun.of(handshake.profile(), input);
        ServerRun split = ServerRun.of(handshake.profile(), reads);

        assertThat(split.sameOnTheWire(whole)).as("in one read: %s%nin %d reads: %s", whole, reads.size(), split)
                .isTrue();
        Expectation expected = HandshakeModel.expect(handshake.profile(), input);
        assertThat(expected.relays()).as("the model accepts %s: %s", handshake, expected).isTrue();
        split.assertMatches(expected, input);
    }

    @Provide
    Arbitrary<ValidHandshake> validHandshakes() {
        return ClientInputs.validHandshakes();
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return ByteStreams.cuts();
    }
}
