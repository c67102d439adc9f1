package io.socksgw.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientInfoTest {

    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.1", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 1080);

    private static final ClientCertificate ALICE = new ClientCertificate("CN=alice", Optional.of("alice"), List.of(),
            List.of(), List.of(), List.of(), "CN=CA", "1");

    @Test
    void thePreCertificateConstructorStillWorksAndMeansNoCertificate() {
        ClientInfo client = new ClientInfo(REMOTE, LOCAL, "socks");

        assertThat(client.clientCertificate()).isEmpty();
        assertThat(client).isEqualTo(new ClientInfo(REMOTE, LOCAL, "socks", Optional.empty()));
    }

    @Test
    void withClientCertificateKeepsEverythingElse() {
        ClientInfo client = new ClientInfo(REMOTE, LOCAL, "socks").withClientCertificate(ALICE);

        assertThat(client.remoteAddress()).isEqualTo(REMOTE);
        assertThat(client.localAddress()).isEqualTo(LOCAL);
        assertThat(client.listener()).isEqualTo("socks");
        assertThat(client.clientCertificate()).contains(ALICE);
    }

    @Test
    void theCertificateIsImmutableAndComplete() {
        List<String> names = new ArrayList<>(List.of("alice.example"));
        ClientCertificate certificate = new ClientCertificate("CN=alice", Optional.of("alice"), names, List.of(),
                List.of(), List.of(), "CN=CA", "1");
        names.add("mallory.example");

        assertThat(certificate.dnsNames()).containsExactly("alice.example");
        assertThatThrownBy(() -> new ClientCertificate(null, Optional.empty(), List.of(), List.of(), List.of(),
                List.of(), "CN=CA", "1")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ClientInfo(REMOTE, LOCAL, "socks", null)).isInstanceOf(NullPointerException.class);
    }
}
