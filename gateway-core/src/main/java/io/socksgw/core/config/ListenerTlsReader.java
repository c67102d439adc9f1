package io.socksgw.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.socksgw.core.tls.TlsContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code listeners.N.tls { certificate, private-key, client-ca, protocols }}: paths relative to
 * the configuration directory, files read now, and the server context built once to prove they work
 * together, so that a bad file stops start-up (and {@code check-config}) naming its key.
 */
final class ListenerTlsReader {

    /** Where a problem inside a listener entry is reported (the binder's list-entry problem). */
    interface Problems {
        void add(Config entry, String entryKey, String path, String message);
    }

    private static final String TLS = "tls";
    private static final Set<String> KEYS = Set.of("certificate", "private-key", "client-ca", "protocols");
    private static final Set<String> PROTOCOLS = Set.copyOf(ListenerTls.DEFAULT_PROTOCOLS);
    private static final String CERTIFICATE_MARKER = "-----BEGIN CERTIFICATE-----";
    private static final String PKCS8_MARKER = "-----BEGIN PRIVATE KEY-----";

    private final Path configDirectory;
    private final Problems problems;
    /** Problems reported so far, to tell whether this entry's settings are usable. */
    private int count;

    ListenerTlsReader(Path configDirectory, Problems problems) {
        this.configDirectory = configDirectory;
        this.problems = problems;
    }

    /** The entry's TLS settings; null when it has none or they are invalid (then reported). */
    ListenerTls read(Config entry, String at) {
        if (!entry.hasPathOrNull(TLS)) {
            return null;
        }
        String base = at + "." + TLS;
        Config tls;
        try {
            tls = entry.getConfig(TLS);
        } catch (ConfigException e) {
            problems.add(entry, TLS, base, "expected an object { certificate = \"server.pem\", private-key ="
                    + " \"server.key\" }");
            return null;
        }
        int before = count;
        for (String key : tls.root().keySet()) {
            if (!KEYS.contains(key)) {
                report(entry, key, base, "unknown key; expected one of " + KEYS.stream().sorted().toList());
            }
        }
        PemFile certificate = certificates(entry, tls, base, "certificate", true);
        PemFile privateKey = privateKey(entry, tls, base);
        PemFile clientCa = certificates(entry, tls, base, "client-ca", false);
        List<String> protocols = protocols(entry, tls, base);
        if (count > before || certificate == null || privateKey == null) {
            return null;
        }
        ListenerTls settings = new ListenerTls(certificate, privateKey, clientCa, protocols);
        try {
            TlsContexts.forListener(settings);
        } catch (Exception e) {
            report(entry, "private-key", base, "cannot serve TLS with " + certificate + " and " + privateKey + ": "
                    + e.getMessage());
            return null;
        }
        return settings;
    }

    private void report(Config entry, String key, String base, String message) {
        count++;
        problems.add(entry, TLS + "." + key, base + "." + key, message);
    }

    private PemFile certificates(Config entry, Config tls, String base, String key, boolean required) {
        PemFile file = file(entry, tls, base, key, required);
        if (file == null) {
            return null;
        }
        String what = key.equals("client-ca") ? "the certificates of the CAs that issue client certificates"
                : "the server's certificate chain, leaf first";
        try {
            if (!file.text().contains(CERTIFICATE_MARKER) || TlsContexts.countCertificates(file.text()) == 0) {
                report(entry, key, base, file + " holds no PEM certificate (" + CERTIFICATE_MARKER + "); expected "
                        + what);
                return null;
            }
        } catch (Exception e) {
            report(entry, key, base, file + " is not a PEM certificate file: " + e.getMessage() + "; expected " + what);
            return null;
        }
        return file;
    }

    private PemFile privateKey(Config entry, Config tls, String base) {
        PemFile file = file(entry, tls, base, "private-key", true);
        if (file == null) {
            return null;
        }
        if (!file.text().contains(PKCS8_MARKER)) {
            String found = file.text().contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key"
                    : file.text().contains("PRIVATE KEY-----") ? "a key in a legacy (PKCS#1 or SEC 1) format"
                    : "no PEM private key";
            report(entry, "private-key", base, file + " holds " + found + "; expected an unencrypted PKCS#8 PEM key ("
                    + PKCS8_MARKER + "), e.g. from: openssl pkcs8 -topk8 -nocrypt -in key.pem -out server.key");
            return null;
        }
        return file;
    }

    private PemFile file(Config entry, Config tls, String base, String key, boolean required) {
        if (!tls.hasPathOrNull(key)) {
            if (required) {
                count++;
                problems.add(entry, TLS, base + "." + key, "missing: the path of a PEM file");
            }
            return null;
        }
        String text;
        try {
            text = tls.getString(key);
        } catch (ConfigException e) {
            report(entry, key, base, "expected the path of a PEM file");
            return null;
        }
        Path path = configDirectory.resolve(text).toAbsolutePath().normalize();
        try {
            // ISO 8859-1 maps every byte: a binary (DER) file is then told apart by its missing PEM markers.
            return new PemFile(path, new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1));
        } catch (IOException | SecurityException e) {
            report(entry, key, base, "cannot read " + path + ": " + whyUnreadable(e));
            return null;
        }
    }

    private List<String> protocols(Config entry, Config tls, String base) {
        if (!tls.hasPathOrNull("protocols")) {
            return ListenerTls.DEFAULT_PROTOCOLS;
        }
        List<String> protocols;
        try {
            protocols = tls.getStringList("protocols");
        } catch (ConfigException e) {
            report(entry, "protocols", base, "expected a list such as [\"TLSv1.3\", \"TLSv1.2\"]");
            return ListenerTls.DEFAULT_PROTOCOLS;
        }
        List<String> valid = new ArrayList<>();
        for (String protocol : protocols) {
            if (PROTOCOLS.contains(protocol)) {
                valid.add(protocol);
            } else {
                report(entry, "protocols", base, "expected TLSv1.3 and/or TLSv1.2 (older versions are unsafe), got '"
                        + protocol + "'");
            }
        }
        if (protocols.isEmpty()) {
            report(entry, "protocols", base, "empty: list at least one of TLSv1.3, TLSv1.2");
        }
        return valid;
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
