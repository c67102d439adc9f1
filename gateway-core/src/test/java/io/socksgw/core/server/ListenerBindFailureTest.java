package io.socksgw.core.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.socksgw.core.testing.TestGateway;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A listener whose port is taken stops start-up with a message naming it (and nothing is left bound). */
class ListenerBindFailureTest {

    @Test
    void namesTheListenerWhosePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> TestGateway.start("listeners = [ { name = first, host = \"127.0.0.1\", port = 0 },"
                    + " { name = busy, host = \"127.0.0.1\", port = " + port + " } ]"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("listener 'busy' cannot bind")
                    .hasMessageContaining(String.valueOf(port));
        }
    }
}
