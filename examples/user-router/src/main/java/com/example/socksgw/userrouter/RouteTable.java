package com.example.socksgw.userrouter;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.DnsPolicy;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration of one {@code user-router}: a chain per user name and what everyone else gets.
 * Reading is strict (unknown keys are refused), so a typo fails at start-up instead of routing a
 * user the wrong way.
 */
final class RouteTable {

    /** What users without a route get. */
    enum Fallback {
        /** Connect them directly. */
        DIRECT,
        /** Refuse them. */
        REJECT,
        /** Let the next router decide. */
        PASS
    }

    private static final Set<String> TOP_KEYS = Set.of("routes", "default");
    private static final Set<String> ROUTE_KEYS = Set.of("hops", "dns");
    private static final Set<String> HOP_KEYS = Set.of("protocol", "host", "port", "username", "password", "user-id");

    private final Map<String, Chain> chains;
    private final Fallback fallback;

    private RouteTable(Map<String, Chain> chains, Fallback fallback) {
        this.chains = Map.copyOf(chains);
        this.fallback = fallback;
    }

    /**
     * @throws ConfigException naming the path and what was expected
     */
    static RouteTable read(Config config) {
        checkKeys(config.root(), "", TOP_KEYS);
        Fallback fallback = enumValue(config, "default", "default", Fallback.class);
        Map<String, Chain> chains = new LinkedHashMap<>();
        ConfigObject routes = config.getObject("routes");
        for (Map.Entry<String, ConfigValue> route : routes.entrySet()) {
            String user = route.getKey();
            String path = ConfigUtil.joinPath("routes", user);
            if (route.getValue().valueType() != ConfigValueType.OBJECT) {
                throw new ConfigException.WrongType(route.getValue().origin(), path, "an object { hops = [ ... ] }",
                        route.getValue().valueType().name().toLowerCase(Locale.ROOT));
            }
            chains.put(user, chain(user, (ConfigObject) route.getValue(), path));
        }
        return new RouteTable(chains, fallback);
    }

    /** The chain configured for {@code user}, if any. */
    Optional<Chain> chainOf(String user) {
        return Optional.ofNullable(chains.get(user));
    }

    Fallback fallback() {
        return fallback;
    }

    private static Chain chain(String user, ConfigObject object, String path) {
        checkKeys(object, path + ".", ROUTE_KEYS);
        Config route = object.toConfig();
        if (!route.hasPath("hops")) {
            throw new ConfigException.Missing(object.origin(), path + ".hops");
        }
        List<? extends ConfigObject> entries = route.getObjectList("hops");
        if (entries.isEmpty()) {
            throw new ConfigException.BadValue(object.origin(), path + ".hops",
                    "needs at least one hop; use default = direct for direct connections");
        }
        List<Hop> hops = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            hops.add(hop(user + "-hop" + (i + 1), entries.get(i), path + ".hops[" + i + "]"));
        }
        DnsPolicy dns = route.hasPath("dns") ? enumValue(route, "dns", path + ".dns", DnsPolicy.class) : DnsPolicy.REMOTE;
        return new Chain("user-" + user, hops, dns);
    }

    private static Hop hop(String name, ConfigObject object, String path) {
        checkKeys(object, path + ".", HOP_KEYS);
        Config hop = object.toConfig();
        SocksVersion protocol = switch (required(hop, object, path, "protocol").toLowerCase(Locale.ROOT)) {
            case "socks4" -> SocksVersion.SOCKS4;
            case "socks4a" -> SocksVersion.SOCKS4A;
            case "socks5" -> SocksVersion.SOCKS5;
            default -> throw new ConfigException.BadValue(hop.getValue("protocol").origin(), path + ".protocol",
                    "expected socks4, socks4a or socks5, got '" + hop.getString("protocol") + "'");
        };
        String host = required(hop, object, path, "host");
        if (!hop.hasPath("port")) {
            throw new ConfigException.Missing(object.origin(), path + ".port");
        }
        int port = hop.getInt("port");
        if (port < 1 || port > 65535) {
            throw new ConfigException.BadValue(hop.getValue("port").origin(), path + ".port", "expected 1 to 65535, got " + port);
        }
        return Hop.of(name, protocol, host, port, credentials(hop, object, path, protocol));
    }

    private static HopCredentials credentials(Config hop, ConfigObject object, String path, SocksVersion protocol) {
        boolean login = hop.hasPath("username") || hop.hasPath("password");
        if (login) {
            if (protocol != SocksVersion.SOCKS5) {
                throw new ConfigException.BadValue(object.origin(), path, "username and password need a socks5 hop; "
                        + "socks4 and socks4a hops take a user-id");
            }
            return new HopCredentials.UsernamePassword(required(hop, object, path, "username"), required(hop, object, path, "password"));
        }
        if (hop.hasPath("user-id")) {
            if (protocol == SocksVersion.SOCKS5) {
                throw new ConfigException.BadValue(object.origin(), path + ".user-id", "a socks5 hop takes username and password");
            }
            return new HopCredentials.UserId(hop.getString("user-id"));
        }
        return HopCredentials.NONE;
    }

    private static String required(Config config, ConfigObject object, String path, String key) {
        if (!config.hasPath(key)) {
            throw new ConfigException.Missing(object.origin(), path + "." + key);
        }
        String value = config.getString(key);
        if (value.isBlank()) {
            throw new ConfigException.BadValue(config.getValue(key).origin(), path + "." + key, "must not be empty");
        }
        return value;
    }

    private static <E extends Enum<E>> E enumValue(Config config, String key, String path, Class<E> type) {
        String raw = config.getString(key);
        try {
            return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> expected = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                expected.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException.BadValue(config.getValue(key).origin(), path, "expected one of " + expected + ", got '" + raw + "'");
        }
    }

    private static void checkKeys(ConfigObject object, String prefix, Set<String> known) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigException.BadValue(object.get(key).origin(), prefix + key,
                        "unknown setting; expected one of " + known.stream().sorted().toList());
            }
        }
    }
}
