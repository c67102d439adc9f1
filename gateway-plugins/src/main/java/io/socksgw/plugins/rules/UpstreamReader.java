package io.socksgw.plugins.rules;

import static io.socksgw.plugins.match.ConfigValues.path;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.api.route.HopTls;
import io.socksgw.plugins.match.ConfigProblems;
import io.socksgw.plugins.match.ConfigValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads {@code upstreams { name { protocol, host, port, credentials... } }} into {@link Hop}s.
 *
 * <p>Credentials must be something the hop's protocol can carry: {@code username} and
 * {@code password} (both, SOCKS5 only), {@code user-id} (SOCKS4 and SOCKS4a only), or
 * {@code credentials = pass-through} (any protocol: the client's own credentials). They must be
 * ASCII, 1 to 255 bytes, since that is what the hop handshakes encode. Secret values never appear in
 * messages.
 *
 * <p>{@code protocol = "socks5+tls"} (quoted: HOCON does not allow '+' unquoted) is SOCKS5 inside TLS: the hop's certificate is verified against
 * {@code tls.trust-certificates} (default: the JDK's trust store) and {@code tls.server-name} (default:
 * the host), and {@code tls.certificate} with {@code tls.private-key} is presented when set. Only
 * SOCKS5 is offered over TLS: SOCKS4 hops are legacy software that does not speak TLS.
 */
final class UpstreamReader {

    static final String PROTOCOL = "protocol";
    static final String HOST = "host";
    static final String PORT = "port";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String USER_ID = "user-id";
    static final String CREDENTIALS = "credentials";
    static final String TLS = "tls";

    static final String PASS_THROUGH = "pass-through";
    static final String NONE = "none";

    static final String SOCKS5_TLS = "socks5+tls";

    private static final Set<String> KEYS = Set.of(PROTOCOL, HOST, PORT, USERNAME, PASSWORD, USER_ID, CREDENTIALS, TLS);
    private static final int MAX_CREDENTIAL_BYTES = 255;
    private static final int MAX_HOST_BYTES = 255;

    private final ConfigProblems problems;
    private final HopTlsReader tlsReader;

    /** @param configDirectory where relative TLS file paths are resolved */
    UpstreamReader(ConfigProblems problems, Path configDirectory) {
        this.problems = problems;
        this.tlsReader = new HopTlsReader(problems, configDirectory);
    }

    /** The hops of an {@code upstreams} object; invalid entries are recorded and left out. */
    Map<String, Hop> read(ConfigValue upstreams, String path) {
        Map<String, Hop> hops = new LinkedHashMap<>();
        if (upstreams == null) {
            return hops;
        }
        ConfigObject object = ConfigValues.object(upstreams, path,
                "an object of named upstreams, e.g. { my-proxy { protocol = socks5, host = ..., port = 1080 } }",
                problems);
        if (object == null) {
            return hops;
        }
        for (Map.Entry<String, ConfigValue> entry : new TreeMap<>(object).entrySet()) {
            Hop hop = readHop(entry.getKey(), entry.getValue(), path(path, entry.getKey()));
            if (hop != null) {
                hops.put(entry.getKey(), hop);
            }
        }
        return hops;
    }

    private Hop readHop(String name, ConfigValue value, String path) {
        ConfigObject entry = ConfigValues.object(value, path,
                "an upstream { protocol = socks4 | socks4a | socks5 | socks5+tls, host = ..., port = ... }", problems);
        if (entry == null) {
            return null;
        }
        int before = problems.size();
        ConfigValues.checkKeys(entry, path, KEYS, problems);
        SocksVersion protocol = readProtocol(entry, path);
        String host = readHost(entry, path);
        int port = readPort(entry, path);
        HopCredentials credentials = readCredentials(entry, path, protocol);
        HopTls tls = readTls(entry, path);
        if (problems.size() > before) {
            return null;
        }
        return new Hop(name, protocol, host, port, credentials, tls);
    }

    /** TLS settings for a socks5+tls hop (defaults when there is no block); null for a plain one. */
    private HopTls readTls(ConfigObject entry, String path) {
        String protocol = entry.containsKey(PROTOCOL) ? ConfigValues.scalar(entry.get(PROTOCOL)) : null;
        boolean tlsProtocol = protocol != null && SOCKS5_TLS.equalsIgnoreCase(protocol.strip());
        if (!entry.containsKey(TLS)) {
            return tlsProtocol ? HopTls.DEFAULTS : null;
        }
        if (!tlsProtocol) {
            problems.add(entry.get(TLS), path(path, TLS), "tls settings need protocol = \"" + SOCKS5_TLS
                    + "\" (quoted); set it, or remove tls");
            return null;
        }
        return tlsReader.read(entry.get(TLS), path(path, TLS));
    }

    private SocksVersion readProtocol(ConfigObject entry, String path) {
        String expected = "socks4, socks4a, socks5 or socks5+tls";
        String text = ConfigValues.requiredText(entry, PROTOCOL, path, expected, problems);
        if (text == null) {
            return null;
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "socks4":
                return SocksVersion.SOCKS4;
            case "socks4a":
                return SocksVersion.SOCKS4A;
            case "socks5":
            case SOCKS5_TLS:
                return SocksVersion.SOCKS5;
            default:
                problems.add(entry.get(PROTOCOL), path(path, PROTOCOL),
                        "expected " + expected + ", got '" + text + "'");
                return null;
        }
    }

    private String readHost(ConfigObject entry, String path) {
        String expected = "a host name or IP address";
        String host = ConfigValues.requiredText(entry, HOST, path, expected, problems);
        if (host == null) {
            return null;
        }
        if (host.length() > 2 && host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // [::1], as in URLs
        }
        boolean blank = false;
        for (int i = 0; i < host.length(); i++) {
            blank |= Character.isWhitespace(host.charAt(i)) || Character.isISOControl(host.charAt(i));
        }
        if (blank || host.getBytes(StandardCharsets.UTF_8).length > MAX_HOST_BYTES) {
            problems.add(entry.get(HOST), path(path, HOST), "expected " + expected
                    + " of at most 255 bytes without blanks, got '" + host + "'");
            return null;
        }
        return host;
    }

    private int readPort(ConfigObject entry, String path) {
        String expected = "a port from 1 to 65535";
        String text = ConfigValues.requiredText(entry, PORT, path, expected, problems);
        if (text == null) {
            return -1;
        }
        int port = -1;
        if (text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            port = Integer.parseInt(text);
        }
        if (port < 1 || port > 65535) {
            problems.add(entry.get(PORT), path(path, PORT), "expected " + expected + ", got '" + text + "'");
            return -1;
        }
        return port;
    }

    private HopCredentials readCredentials(ConfigObject entry, String path, SocksVersion protocol) {
        boolean passThrough = readPassThrough(entry, path);
        boolean hasUsername = entry.containsKey(USERNAME);
        boolean hasPassword = entry.containsKey(PASSWORD);
        boolean hasUserId = entry.containsKey(USER_ID);
        if (passThrough && (hasUsername || hasPassword || hasUserId)) {
            String key = hasUsername ? USERNAME : hasPassword ? PASSWORD : USER_ID;
            problems.add(entry.get(key), path(path, key), "credentials = pass-through sends the client's own"
                    + " credentials; remove " + key + ", or remove credentials = pass-through");
            return null;
        }
        if (passThrough) {
            return HopCredentials.PASS_THROUGH;
        }
        if (hasUsername || hasPassword) {
            return readUsernamePassword(entry, path, protocol, hasUsername, hasPassword, hasUserId);
        }
        if (hasUserId) {
            if (protocol == SocksVersion.SOCKS5) {
                problems.add(entry.get(USER_ID), path(path, USER_ID), "a socks5 hop takes no user id;"
                        + " expected username and password, or protocol = socks4 or socks4a");
                return null;
            }
            String userId = credential(entry, USER_ID, path);
            return userId == null ? null : new HopCredentials.UserId(userId);
        }
        return HopCredentials.NONE;
    }

    private HopCredentials readUsernamePassword(ConfigObject entry, String path, SocksVersion protocol,
            boolean hasUsername, boolean hasPassword, boolean hasUserId) {
        if (!hasUsername || !hasPassword) {
            String missing = hasUsername ? PASSWORD : USERNAME;
            String present = hasUsername ? USERNAME : PASSWORD;
            // ${?ENV_VAR} that is unset leaves the key out: say so, since that is the usual cause.
            problems.add(entry, path(path, missing), "missing; " + present + " is set, so " + missing
                    + " is needed too (if it comes from ${?VARIABLE}, is the variable set?)");
            return null;
        }
        if (hasUserId) {
            problems.add(entry.get(USER_ID), path(path, USER_ID),
                    "expected either username and password (socks5) or user-id (socks4, socks4a), not both");
            return null;
        }
        if (protocol != null && protocol != SocksVersion.SOCKS5) {
            problems.add(entry.get(USERNAME), path(path, USERNAME), "a " + protocol.name().toLowerCase(Locale.ROOT)
                    + " hop cannot carry a username and password; expected protocol = socks5, or user-id instead");
            return null;
        }
        String username = credential(entry, USERNAME, path);
        String password = credential(entry, PASSWORD, path);
        return username == null || password == null ? null : new HopCredentials.UsernamePassword(username, password);
    }

    /** "pass-through" or "none" under {@code credentials}; true for pass-through. */
    private boolean readPassThrough(ConfigObject entry, String path) {
        ConfigValue value = entry.get(CREDENTIALS);
        if (value == null) {
            return false;
        }
        String expected = PASS_THROUGH + " (the client's own credentials) or " + NONE;
        String text = ConfigValues.text(value, path(path, CREDENTIALS), expected, problems);
        if (text == null) {
            return false;
        }
        if (text.equalsIgnoreCase(PASS_THROUGH)) {
            return true;
        }
        if (!text.equalsIgnoreCase(NONE)) {
            problems.add(value, path(path, CREDENTIALS), "expected " + expected + ", got '" + text + "'");
        }
        return false;
    }

    /**
     * A username, password or user id: 1 to 255 ASCII bytes (a user id without NUL, which ends it on
     * the wire). The value itself is kept out of messages.
     */
    private String credential(ConfigObject entry, String key, String path) {
        ConfigValue value = entry.get(key);
        String keyPath = path(path, key);
        String text = ConfigValues.scalar(value);
        if (text == null || text.isEmpty()) {
            problems.add(value, keyPath, "expected 1 to " + MAX_CREDENTIAL_BYTES + " ASCII characters, got "
                    + (text == null ? ConfigValues.typeName(value) : "an empty string"));
            return null;
        }
        if (text.length() > MAX_CREDENTIAL_BYTES) {
            problems.add(value, keyPath, "expected at most " + MAX_CREDENTIAL_BYTES + " ASCII characters, got "
                    + text.length());
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7f || (c == 0 && key.equals(USER_ID))) {
                problems.add(value, keyPath, "expected ASCII only" + (key.equals(USER_ID) ? " and no NUL" : "")
                        + ": the hop handshake encodes " + key + " as ASCII (character " + (i + 1) + " is not)");
                return null;
            }
        }
        return text;
    }
}
