package io.socksgw.plugins.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopTls;
import io.socksgw.plugins.testing.PluginDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code protocol = "socks5+tls"} upstreams and their {@code tls} block: files relative to the
 * configuration directory, read and checked when the router is created.
 */
class UpstreamTlsConfigTest {

    @TempDir
    static Path conf;
    private static X509Bundle client;

    @BeforeAll
    static void writeFiles() throws Exception {
        X509Bundle authority = new CertificateBuilder().subject("CN=hop CA").setIsCertificateAuthority(true)
                .buildSelfSigned();
        Files.writeString(conf.resolve("ca.pem"), authority.getCertificatePEM());
        client = new CertificateBuilder().subject("CN=gateway").addExtendedKeyUsageClientAuth().buildIssuedBy(authority);
        Files.writeString(conf.resolve("client.pem"), client.getCertificatePathPEM());
        Files.writeString(conf.resolve("client.key"), client.getPrivateKeyPEM());
        X509Bundle other = new CertificateBuilder().subject("CN=other").buildIssuedBy(authority);
        Files.writeString(conf.resolve("other.key"), other.getPrivateKeyPEM());
        Files.writeString(conf.resolve("legacy.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    }

    @Test
    void socks5PlusTlsWithoutABlockUsesTheJdkTrustStoreAndTheHostName() {
        Hop hop = upstream("protocol = \"socks5+tls\", host = proxy.example, port = 1443");

        assertThat(hop.protocol()).isEqualTo(SocksVersion.SOCKS5);
        assertThat(hop.tls()).isTrue();
        assertThat(hop.tlsSettings()).isEqualTo(HopTls.DEFAULTS);
        assertThat(hop.tlsSettings().nameToVerify(hop.host())).isEqualTo("proxy.example");
        assertThat(hop).hasToString("x(socks5+tls://proxy.example:1443)");
    }

    @Test
    void plainSocks5HasNoTls() {
        assertThat(upstream("protocol = socks5, host = h, port = 1080").tls()).isFalse();
    }

    @Test
    void readsTrustClientCertificateAndServerNameFromFilesBesideTheConfig() throws Exception {
        Hop hop = upstream("protocol = \"socks5+tls\", host = \"10.0.0.5\", port = 1443, username = u, password = p,"
                + " tls { trust-certificates = ca.pem, certificate = client.pem, private-key = client.key,"
                + " server-name = proxy.internal }");

        HopTls tls = hop.tlsSettings();
        assertThat(tls.trustCertificatesPem()).isEqualTo(Files.readString(conf.resolve("ca.pem")));
        assertThat(tls.certificateChainPem()).isEqualTo(client.getCertificatePathPEM());
        assertThat(tls.privateKeyPem()).isEqualTo(client.getPrivateKeyPEM());
        assertThat(tls.nameToVerify(hop.host())).isEqualTo("proxy.internal");
        assertThat(tls.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void refusesEveryUnusableTlsSettingNamingItsPath() {
        String hocon = "upstreams {\n"
                + " a { protocol = socks5, host = h, port = 1, tls { trust-certificates = ca.pem } }\n"
                + " b { protocol = \"socks5+tls\", host = h, port = 1, tls { trust-certificates = missing.pem } }\n"
                + " c { protocol = \"socks5+tls\", host = h, port = 1, tls { certificate = client.pem } }\n"
                + " d { protocol = \"socks5+tls\", host = h, port = 1, tls { certificate = client.pem, private-key = other.key } }\n"
                + " e { protocol = \"socks5+tls\", host = h, port = 1, tls { certificate = client.pem, private-key = legacy.key } }\n"
                + " f { protocol = \"socks5+tls\", host = h, port = 1, tls { trust-certificates = client.key } }\n"
                + " g { protocol = \"socks5+tls\", host = h, port = 1, tls { server-name = \"a b\" } }\n"
                + " h { protocol = \"socks5+tls\", host = h, port = 1, tls { trust = ca.pem } }\n"
                + "}";

        assertThatThrownBy(() -> read(hocon))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("'upstreams.a.tls': tls settings need protocol = \"socks5+tls\"")
                .hasMessageContaining("'upstreams.b.tls.trust-certificates' (line 3): cannot read "
                        + conf.resolve("missing.pem").toAbsolutePath() + ": no such file;")
                .hasMessageContaining("'upstreams.c.tls.private-key' (line 4): missing; a client certificate needs both")
                .hasMessageContaining("'upstreams.d.tls.private-key' (line 5): " + conf.resolve("other.key").toAbsolutePath()
                        + " is not the key of the certificate")
                .hasMessageContaining("'upstreams.e.tls.private-key' (line 6): ")
                .hasMessageContaining("legacy (PKCS#1 or SEC 1) format")
                .hasMessageContaining("'upstreams.f.tls.trust-certificates' (line 7): ")
                .hasMessageContaining("holds no PEM certificate")
                .hasMessageContaining("'upstreams.g.tls.server-name' (line 8): expected a host name")
                .hasMessageContaining("'upstreams.h.tls.trust' (line 9): unknown key");
    }

    private static Hop upstream(String settings) {
        return read("upstreams { x { " + settings + " } }").upstreams().get("x");
    }

    private static RoutingConfig read(String hocon) {
        return new RoutingConfigReader("rules", conf).read(PluginDefaults.instance("rules", hocon));
    }
}
