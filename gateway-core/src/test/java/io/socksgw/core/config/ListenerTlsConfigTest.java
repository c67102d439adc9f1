package io.socksgw.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import io.netty.pkitesting.X509Bundle;
import io.socksgw.core.config.GatewayConfig.ListenerConfig;
import io.socksgw.core.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code listeners.N.tls}: paths relative to the config directory, files read and checked at bind time. */
class ListenerTlsConfigTest {

    @TempDir
    static Path conf;
    private static X509Bundle server;

    @BeforeAll
    static void writeFiles() throws Exception {
        X509Bundle authority = TestPki.authority("config test CA");
        server = TestPki.server(authority, "gateway.test");
        TestPki.writeCertificate(conf, "server.pem", server);
        TestPki.writeKey(conf, "server.key", server);
        TestPki.writeCertificate(conf, "clients-ca.pem", authority);
        // A legacy-format key and a DER certificate: both refused with a hint.
        Files.writeString(conf.resolve("legacy.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        Files.write(conf.resolve("server.der"), server.getCertificate().getEncoded());
    }

    @Test
    void aListenerWithoutTlsHasNone() {
        ListenerConfig listener = bind("socksgw.listeners = [ { name = a, host = \"127.0.0.1\", port = 1080 } ]").listeners().get(0);

        assertThat(listener.tls()).isNull();
    }

    @Test
    void readsRelativePathsFromTheConfigDirectoryWithDefaultProtocols() throws Exception {
        ListenerTls tls = bind("""
                socksgw.listeners = [ { name = a, host = "127.0.0.1", port = 1443,
                  tls { certificate = server.pem, private-key = server.key, client-ca = clients-ca.pem } } ]
                """).listeners().get(0).tls();

        assertThat(tls.certificate().path()).isEqualTo(conf.resolve("server.pem").toAbsolutePath());
        assertThat(tls.certificate().text()).isEqualTo(server.getCertificatePathPEM());
        assertThat(tls.privateKey().text()).isEqualTo(server.getPrivateKeyPEM());
        assertThat(tls.requiresClientCertificate()).isTrue();
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.toString()).as("no key material in logs").doesNotContain("PRIVATE KEY");
    }

    @Test
    void protocolsCanBeNarrowedToTls13() {
        ListenerTls tls = bind("""
                socksgw.listeners = [ { name = a, host = "127.0.0.1", port = 1443,
                  tls { certificate = server.pem, private-key = server.key, protocols = [ TLSv1.3 ] } } ]
                """).listeners().get(0).tls();

        assertThat(tls.protocols()).containsExactly("TLSv1.3");
        assertThat(tls.requiresClientCertificate()).isFalse();
    }

    @Test
    void reportsEveryUnusableFileOrValueWithItsPath() {
        InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class, () -> bind("""
                socksgw.listeners = [
                  { name = a, host = "127.0.0.1", port = 1, tls { certificate = missing.pem, private-key = server.key } }
                  { name = b, host = "127.0.0.1", port = 2, tls { certificate = server.pem, private-key = legacy.key } }
                  { name = c, host = "127.0.0.1", port = 3, tls { certificate = server.der, private-key = server.key } }
                  { name = d, host = "127.0.0.1", port = 4, tls { certificate = server.pem } }
                  { name = e, host = "127.0.0.1", port = 5, tls { certificate = server.pem, private-key = server.key, protocols = [ TLSv1.1 ] } }
                  { name = f, host = "127.0.0.1", port = 6, tls { certificate = server.pem, private-key = server.key, client_ca = x.pem } }
                  { name = g, host = "127.0.0.1", port = 7, tls { certificate = server.pem, private-key = server.pem } }
                  { name = h, host = "127.0.0.1", port = 8, tls = yes }
                ]
                """));

        assertThat(error.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "socksgw.listeners.0.tls.certificate",
                "socksgw.listeners.1.tls.private-key",
                "socksgw.listeners.2.tls.certificate",
                "socksgw.listeners.3.tls.private-key",
                "socksgw.listeners.4.tls.protocols",
                "socksgw.listeners.5.tls.client_ca",
                "socksgw.listeners.6.tls.private-key",
                "socksgw.listeners.7.tls");
        assertThat(problem(error, "socksgw.listeners.0.tls.certificate"))
                .isEqualTo("cannot read " + conf.resolve("missing.pem").toAbsolutePath() + ": no such file");
        assertThat(problem(error, "socksgw.listeners.1.tls.private-key")).contains("legacy").contains("openssl pkcs8");
        assertThat(problem(error, "socksgw.listeners.2.tls.certificate")).contains("holds no PEM certificate");
        assertThat(problem(error, "socksgw.listeners.3.tls.private-key")).startsWith("missing");
        assertThat(problem(error, "socksgw.listeners.4.tls.protocols")).contains("TLSv1.1");
        assertThat(problem(error, "socksgw.listeners.5.tls.client_ca")).startsWith("unknown key");
        assertThat(problem(error, "socksgw.listeners.6.tls.private-key")).contains("no PEM private key");
        assertThat(problem(error, "socksgw.listeners.7.tls")).startsWith("expected an object");
    }

    private static String problem(InvalidConfigException error, String path) {
        return error.problems().stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow().problem();
    }

    private GatewayConfig bind(String hocon) {
        return new GatewayConfigBinder(conf)
                .bind(new ConfigLoader(getClass().getClassLoader()).resolve(ConfigFactory.parseString(hocon)));
    }
}
