package io.socksgw.plugins.rules;

import static io.socksgw.plugins.match.ConfigValues.path;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.socksgw.api.route.HopTls;
import io.socksgw.plugins.match.ConfigProblems;
import io.socksgw.plugins.match.ConfigValues;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Reads an upstream's {@code tls { trust-certificates, certificate, private-key, server-name }} into a
 * {@link HopTls}: files resolved against the configuration directory and read now (so a reload picks
 * up rotated files), certificates parsed, and a client key checked against its certificate, so that
 * {@code check-config} catches what would otherwise fail every connection to the hop.
 */
final class HopTlsReader {

    static final String TRUST_CERTIFICATES = "trust-certificates";
    static final String CERTIFICATE = "certificate";
    static final String PRIVATE_KEY = "private-key";
    static final String SERVER_NAME = "server-name";

    private static final Set<String> KEYS = Set.of(TRUST_CERTIFICATES, CERTIFICATE, PRIVATE_KEY, SERVER_NAME);
    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PKCS8_END = "-----END PRIVATE KEY-----";

    private final ConfigProblems problems;
    private final Path configDirectory;

    HopTlsReader(ConfigProblems problems, Path configDirectory) {
        this.problems = problems;
        this.configDirectory = configDirectory;
    }

    /** The settings under {@code path}; null when the block is missing (JDK defaults) or invalid (recorded). */
    HopTls read(ConfigValue value, String path) {
        ConfigObject block = ConfigValues.object(value, path, "an object { trust-certificates = \"ca.pem\","
                + " certificate = ..., private-key = ..., server-name = ... } (all optional)", problems);
        if (block == null) {
            return null;
        }
        int before = problems.size();
        ConfigValues.checkKeys(block, path, KEYS, problems);
        CertificateFile trust = block.containsKey(TRUST_CERTIFICATES)
                ? certificates(block, TRUST_CERTIFICATES, path) : null;
        String chain = null;
        String key = null;
        boolean hasCertificate = block.containsKey(CERTIFICATE);
        if (hasCertificate != block.containsKey(PRIVATE_KEY)) {
            String missing = hasCertificate ? PRIVATE_KEY : CERTIFICATE;
            problems.add(block, path(path, missing), "missing; a client certificate needs both certificate and"
                    + " private-key");
        } else if (hasCertificate) {
            CertificateFile certificates = certificates(block, CERTIFICATE, path);
            key = read(block, PRIVATE_KEY, path);
            if (certificates != null && key != null && checkKey(block, path, key, certificates.leaf())) {
                chain = certificates.pem();
            }
        }
        String serverName = block.containsKey(SERVER_NAME) ? serverName(block, path) : null;
        if (problems.size() > before) {
            return null;
        }
        return new HopTls(trust == null ? null : trust.pem(), chain, chain == null ? null : key, serverName);
    }

    private String serverName(ConfigObject block, String path) {
        String text = ConfigValues.text(block.get(SERVER_NAME), path(path, SERVER_NAME),
                "the name the hop's certificate carries", problems);
        if (text != null && (text.length() > 255 || text.chars().anyMatch(c -> c <= ' ' || c > 0x7e))) {
            problems.add(block.get(SERVER_NAME), path(path, SERVER_NAME), "expected a host name of at most 255"
                    + " ASCII characters without blanks, got '" + text + "'");
            return null;
        }
        return text;
    }

    /** A PEM file of certificates: its text and what it holds (at least one, leaf first). */
    private record CertificateFile(String pem, List<X509Certificate> certificates) {
        X509Certificate leaf() {
            return certificates.get(0);
        }
    }

    /** The file's certificates (at least one), or null after recording why not. */
    private CertificateFile certificates(ConfigObject block, String key, String path) {
        String pem = read(block, key, path);
        if (pem == null) {
            return null;
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            if (pem.contains("-----BEGIN CERTIFICATE-----")) {
                CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.ISO_8859_1)))
                        .forEach(c -> certificates.add((X509Certificate) c));
            }
        } catch (GeneralSecurityException e) {
            problems.add(block.get(key), path(path, key), file(block, key) + " is not a PEM certificate file: "
                    + e.getMessage());
            return null;
        }
        if (certificates.isEmpty()) {
            problems.add(block.get(key), path(path, key), file(block, key)
                    + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            return null;
        }
        return new CertificateFile(pem, certificates);
    }

    /** Whether {@code pem} is an unencrypted PKCS#8 key that belongs to {@code certificate} (recorded if not). */
    private boolean checkKey(ConfigObject block, String path, String pem, X509Certificate certificate) {
        String keyPath = path(path, PRIVATE_KEY);
        int begin = pem.indexOf(PKCS8_BEGIN);
        int end = pem.indexOf(PKCS8_END);
        if (begin < 0 || end < begin) {
            String found = pem.contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key"
                    : pem.contains("PRIVATE KEY-----") ? "a key in a legacy (PKCS#1 or SEC 1) format"
                    : "no PEM private key";
            problems.add(block.get(PRIVATE_KEY), keyPath, file(block, PRIVATE_KEY) + " holds " + found
                    + "; expected an unencrypted PKCS#8 PEM key (" + PKCS8_BEGIN + "), e.g. from: openssl pkcs8"
                    + " -topk8 -nocrypt -in key.pem -out client.key");
            return false;
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PKCS8_BEGIN.length(), end));
            String algorithm = certificate.getPublicKey().getAlgorithm();
            PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!belongTogether(key, certificate)) {
                problems.add(block.get(PRIVATE_KEY), keyPath, file(block, PRIVATE_KEY) + " is not the key of the"
                        + " certificate in " + file(block, CERTIFICATE) + " (" + certificate.getSubjectX500Principal() + ")");
                return false;
            }
            return true;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            problems.add(block.get(PRIVATE_KEY), keyPath, file(block, PRIVATE_KEY) + " holds no usable "
                    + certificate.getPublicKey().getAlgorithm() + " private key for its certificate: " + e.getMessage());
            return false;
        }
    }

    /** Signs a nonce with the key and verifies it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // an algorithm we cannot test here: the TLS handshake will tell
        }
        byte[] nonce = "socksgw key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(nonce);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(nonce);
        return verifier.verify(signature);
    }

    /** The file's text (ISO 8859-1: every byte maps, so a DER file shows up as missing PEM markers). */
    private String read(ConfigObject block, String key, String path) {
        Path file = file(block, key);
        if (file == null) {
            ConfigValues.text(block.get(key), path(path, key), "the path of a PEM file", problems);
            return null;
        }
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            problems.add(block.get(key), path(path, key), "cannot read " + file + ": " + whyUnreadable(e));
            return null;
        }
    }

    /** The path under {@code key}, resolved against the configuration directory; null if it is no text. */
    private Path file(ConfigObject block, String key) {
        String text = ConfigValues.scalar(block.get(key));
        return text == null || text.isBlank() ? null
                : configDirectory.resolve(text.strip()).toAbsolutePath().normalize();
    }

    /** The reason without the path the message already names. */
    private static String whyUnreadable(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.toString();
    }
}
