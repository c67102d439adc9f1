package io.socksgw.api.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.socksgw.api.SocksVersion;
import org.junit.jupiter.api.Test;

/** {@link HopTls} and the TLS side of {@link Hop}: invariants, defaults, the pre-HopTls constructor. */
class HopTlsTest {

    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n";

    @Test
    void theBooleanConstructorStillWorksAndMeansJdkDefaults() {
        Hop tls = new Hop("a", SocksVersion.SOCKS5, "proxy.example", 1443, HopCredentials.NONE, true);
        Hop plain = new Hop("b", SocksVersion.SOCKS5, "proxy.example", 1080, HopCredentials.NONE, false);

        assertThat(tls.tls()).isTrue();
        assertThat(tls.tlsSettings()).isEqualTo(HopTls.DEFAULTS);
        assertThat(tls).hasToString("a(socks5+tls://proxy.example:1443)");
        assertThat(plain.tls()).isFalse();
        assertThat(plain.tlsSettings()).isNull();
        assertThat(Hop.of("c", SocksVersion.SOCKS4A, "h", 1, HopCredentials.NONE).tls()).isFalse();
    }

    @Test
    void theNameToVerifyIsTheServerNameElseTheHost() {
        assertThat(HopTls.DEFAULTS.nameToVerify("10.0.0.5")).isEqualTo("10.0.0.5");
        assertThat(new HopTls(null, null, null, "proxy.internal").nameToVerify("10.0.0.5")).isEqualTo("proxy.internal");
    }

    @Test
    void aClientCertificateNeedsBothItsChainAndItsKey() {
        assertThatThrownBy(() -> new HopTls(null, "-----BEGIN CERTIFICATE-----", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HopTls(null, null, KEY, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HopTls(null, null, null, " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverPrintsKeyMaterial() {
        HopTls tls = new HopTls("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE-----", KEY, "proxy.internal");

        assertThat(tls.toString()).doesNotContain("secret").doesNotContain("BEGIN")
                .isEqualTo("HopTls[trust=custom, client-certificate, server-name=proxy.internal]");
    }
}
