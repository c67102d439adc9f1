package io.socksgw.core.fuzz;

import static io.socksgw.core.fuzz.ByteStreams.hex;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.socksgw.api.SocksRequest;
import io.socksgw.core.testing.EmbeddedSocksConnection;
import io.socksgw.core.testing.LogCapture;
import io.socksgw.core.testing.ScriptedConnector;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * One client connection served on the in-memory pipeline ({@link EmbeddedSocksConnection}, over a
 * {@link ScriptedConnector} that connects every request), fed some chunks, then released; what the
 * server did.
 *
 * <p>An exception that reached the end of the pipeline is rethrown by the embedded channel (on a
 * write or on the final release), and the property fails with it. One that a handshake handler
 * caught (and answered by closing) is recorded from the handler's log.
 *
 * @param replies every byte the server sent the client
 * @param open whether the server kept the connection open
 * @param requests what the connector was asked, in order
 * @param forwarded every byte the destination received (empty when no connection was made)
 * @param handlerErrors exceptions a handshake handler caught
 */
record ServerRun(byte[] replies, boolean open, List<SocksRequest> requests, byte[] forwarded,
        List<String> handlerErrors) {

    /** Where {@code HandshakeHandler.exceptionCaught} reports (at DEBUG): recorded. */
    private static final String HANDSHAKE_LOGGER = "io.socksgw.core.socks.HandshakeHandler";

    /**
     * Log levels while a connection runs: the handshake's errors on, and the denials and refused
     * logins the profiles produce by the hundred off (they are the expected answers, not news).
     */
    private static final Map<String, Level> LEVELS = Map.of(
            HANDSHAKE_LOGGER, Level.DEBUG,
            "io.socksgw.core.socks.DenialLog", Level.OFF,
            "io.socksgw.core.limits.AuthFailureThrottle", Level.OFF);

    static ServerRun of(ServerProfile profile, List<byte[]> chunks) {
        Map<Logger, Level> previous = new HashMap<>();
        LEVELS.forEach((name, level) -> {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            previous.put(logger, logger.getLevel());
            logger.setLevel(level);
        });
        ScriptedConnector connector = ScriptedConnector.connecting();
        try (LogCapture log = LogCapture.of(HANDSHAKE_LOGGER);
                EmbeddedSocksConnection connection = EmbeddedSocksConnection.open(profile.hocon(), connector)) {
            connection.write(chunks.toArray(byte[][]::new));
            byte[] replies = connection.replyBytes();
            boolean open = connection.isOpen();
            List<SocksRequest> requests = connector.requests();
            byte[] forwarded = connector.destinations().isEmpty() ? new byte[0] : connector.receivedByDestination();
            return new ServerRun(replies, open, requests, forwarded, log.lines());
        } finally {
            previous.forEach(Logger::setLevel);
        }
    }

    static ServerRun of(ServerProfile profile, byte[] input) {
        return of(profile, List.of(input));
    }

    /**
     * Asserts that the server did what the model expects of {@code input}: the same replies, open
     * exactly while awaiting more or relaying, the connector asked only for the accepted request, and
     * the destination given exactly the bytes behind it; and that no handler caught an exception.
     */
    void assertMatches(HandshakeModel.Expectation expected, byte[] input) {
        String context = "input [" + hex(input) + "]\nexpected " + expected + "\nbut was " + this;
        assertThat(handlerErrors).as("exceptions caught by the handshake; " + context).isEmpty();
        assertThat(hex(replies)).as("replies; " + context).isEqualTo(hex(expected.replies()));
        assertThat(open).as("open; " + context).isEqualTo(expected.end() != HandshakeModel.End.CLOSED);
        assertThat(requests).as("connector requests; " + context)
                .isEqualTo(expected.request().map(List::of).orElse(List.of()));
        byte[] behind = expected.relays()
                ? Arrays.copyOfRange(input, expected.forwardedFrom(), input.length) : new byte[0];
        assertThat(hex(forwarded)).as("bytes at the destination; " + context)
                .isEqualTo(hex(behind));
    }

    /** Everything the client and the destination could see. */
    boolean sameOnTheWire(ServerRun other) {
        return Arrays.equals(replies, other.replies) && open == other.open && requests.equals(other.requests)
                && Arrays.equals(forwarded, other.forwarded);
    }

    @Override
    public String toString() {
        return (open ? "open" : "closed") + " after [" + hex(replies) + "], connector asked " + requests
                + ", destination got [" + hex(forwarded) + "]"
                + (handlerErrors.isEmpty() ? "" : ", handler caught " + handlerErrors);
    }
}
