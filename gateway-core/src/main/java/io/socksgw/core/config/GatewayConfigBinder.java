package io.socksgw.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.socksgw.core.config.GatewayConfig.AccessDefault;
import io.socksgw.core.config.GatewayConfig.AuthBan;
import io.socksgw.core.config.GatewayConfig.DnsConfig;
import io.socksgw.core.config.GatewayConfig.Limits;
import io.socksgw.core.config.GatewayConfig.ListenerConfig;
import io.socksgw.core.config.GatewayConfig.ProxyProtocol;
import io.socksgw.core.config.GatewayConfig.Security;
import io.socksgw.core.config.GatewayConfig.Timeouts;
import io.socksgw.core.config.GatewayConfig.SpliceChoice;
import io.socksgw.core.config.GatewayConfig.TransportChoice;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Binds a resolved {@code socksgw} tree to {@link GatewayConfig}, collecting every problem (path, bad
 * value, what was expected) instead of stopping at the first.
 */
public final class GatewayConfigBinder {

    private static final String ROOT = "socksgw";

    private final Path configDirectory;
    private final List<ConfigProblem> problems = new ArrayList<>();

    public GatewayConfigBinder(Path configDirectory) {
        this.configDirectory = configDirectory;
    }

    /**
     * @throws InvalidConfigException with all problems, if there are any
     */
    public GatewayConfig bind(Config tree) {
        problems.clear();
        if (!tree.hasPath(ROOT)) {
            throw new InvalidConfigException(List.of(new ConfigProblem(ROOT, "missing: the file must hold a socksgw { ... } block", "")));
        }
        Config root = tree.getConfig(ROOT);
        Config pluginDefaults = get(() -> root.getConfig("plugin-defaults"), ConfigFactory.empty(), root, "plugin-defaults");

        List<ListenerConfig> listeners = listeners(root);
        List<PluginSpec> authenticators = plugins(root, "authenticators", pluginDefaults, true);
        AccessDefault accessDefault = enumValue(root, "access.default", AccessDefault.class, AccessDefault.DENY);
        List<PluginSpec> policies = plugins(root, "access.policies", pluginDefaults, false);
        List<PluginSpec> routers = plugins(root, "routers", pluginDefaults, true);
        List<PluginSpec> sessionListeners = plugins(root, "session-listeners", pluginDefaults, false);
        Timeouts timeouts = new Timeouts(
                positiveDuration(root, "timeouts.handshake"),
                positiveDuration(root, "timeouts.connect"),
                positiveDuration(root, "timeouts.idle"),
                positiveDuration(root, "timeouts.fin-wait"));
        Limits limits = limits(root);
        Security security = security(root);
        DnsConfig dns = new DnsConfig(positiveDuration(root, "dns.query-timeout"), dnsServers(root));
        TransportChoice transport = enumValue(root, "transport", TransportChoice.class, TransportChoice.AUTO);
        int eventLoop = intInRange(root, "threads.event-loop", 0, 1024);
        int blocking = intInRange(root, "threads.blocking", 1, 1024);
        int queue = intInRange(root, "events.queue-size", 16, 16_777_216);
        BindConfig bind = bindCommand(root);
        UdpConfig udp = udpCommand(root);
        AdminConfig admin = admin(root);
        MetricsConfig metrics = metrics(root);
        // Graceful stop: bin/socksgw stop and systemd wait 30 s and 40 s; keep the default well below both.
        Duration drainTimeout = durationInRange(root, "shutdown.drain-timeout", Duration.ZERO, Duration.ofHours(1));
        OverloadConfig overload = overload(root);
        WriteBufferConfig writeBuffer = writeBuffer(root);
        SpliceChoice splice = enumValue(root, "performance.splice", SpliceChoice.class, SpliceChoice.AUTO);

        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        int eventLoopThreads = eventLoop == 0 ? Runtime.getRuntime().availableProcessors() : eventLoop;
        return new GatewayConfig(listeners, authenticators, accessDefault, policies, routers, sessionListeners,
                timeouts, limits, security, dns, transport, eventLoopThreads, blocking, queue, configDirectory,
                bind, udp, admin, metrics, drainTimeout, overload, writeBuffer, splice);
    }

    // ---- limits.overload { ... } and limits.write-buffer { ... } (under abuse) ----

    private OverloadConfig overload(Config root) {
        return new OverloadConfig(
                fractionOrOff(root, "limits.overload.heap-fraction"),
                fractionOrOff(root, "limits.overload.direct-memory-fraction"),
                durationInRange(root, "limits.overload.check-interval", Duration.ofMillis(10), Duration.ofMinutes(1)));
    }

    /** 0 (off), or a share of a maximum: more than 0, at most 1. A percentage (90) is the usual slip. */
    private double fractionOrOff(Config root, String key) {
        double value = get(() -> root.getDouble(key), 0.0, root, key);
        if (value < 0 || value > 1) {
            problem(root, key, "expected 0 (off) or a fraction of the maximum such as 0.9 (more than 0, at most 1), got "
                    + describe(root, key));
            return 0;
        }
        return value;
    }

    private WriteBufferConfig writeBuffer(Config root) {
        int low = (int) sizeInRange(root, "limits.write-buffer.low", 1024, 64L << 20);
        int high = (int) sizeInRange(root, "limits.write-buffer.high", 1024, 64L << 20);
        if (low > high) {
            problem(root, "limits.write-buffer.low", "expected at most limits.write-buffer.high (" + high + " bytes), got "
                    + low + " bytes");
        }
        return new WriteBufferConfig(low, high);
    }

    // ---- end of overload and write-buffer ----

    // ---- bind { ... } and udp { ... } (BIND and UDP ASSOCIATE) ----

    private BindConfig bindCommand(Config root) {
        return new BindConfig(
                commandScope(root, "bind.enabled"),
                optionalAddress(root, "bind.address"),
                positiveDuration(root, "bind.accept-timeout"));
    }

    private UdpConfig udpCommand(Config root) {
        return new UdpConfig(
                commandScope(root, "udp.enabled"),
                optionalAddress(root, "udp.address"),
                positiveDuration(root, "udp.idle-timeout"),
                intInRange(root, "udp.max-destinations", 1, 1_000_000),
                (int) sizeInRange(root, "udp.max-buffered-bytes", 64 * 1024, 1L << 30));
    }

    private CommandScope commandScope(Config root, String key) {
        String raw = get(() -> root.getString(key), CommandScope.OFF.configName(), root, key);
        CommandScope scope = CommandScope.parse(raw.toLowerCase(Locale.ROOT));
        if (scope == null) {
            problem(root, key, "expected one of [off, loopback-only, all], got '" + raw + "'");
            return CommandScope.OFF;
        }
        return scope;
    }

    /** An IP literal (never a name: no DNS at start-up), or empty for "" . */
    private Optional<InetAddress> optionalAddress(Config root, String key) {
        String raw = get(() -> root.getString(key), "", root, key).strip();
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String literal = raw.startsWith("[") && raw.endsWith("]") ? raw.substring(1, raw.length() - 1) : raw;
        InetAddress address = io.netty.util.NetUtil.createInetAddressFromIpAddressString(literal);
        if (address == null) {
            problem(root, key, "expected an IP address of this host (or \"\" for the address the client connected to), got '"
                    + raw + "'");
            return Optional.empty();
        }
        return Optional.of(address);
    }

    // ---- end of bind and udp ----

    // ---- admin { ... } and metrics { ... } (observability) ----

    private AdminConfig admin(Config root) {
        boolean enabled = get(() -> root.getBoolean("admin.enabled"), false, root, "admin.enabled");
        String host = get(() -> root.getString("admin.host"), "127.0.0.1", root, "admin.host");
        int port = intInRange(root, "admin.port", 0, 65535);
        boolean allowRemote = get(() -> root.getBoolean("admin.allow-remote"), false, root, "admin.allow-remote");
        if (enabled && !allowRemote && !AdminConfig.isLoopback(host)) {
            problem(root, "admin.host", "the admin listener would bind " + host + ", which is not a loopback address:"
                    + " anyone who reaches it can read the metrics. Bind 127.0.0.1 (or ::1), or set"
                    + " socksgw.admin.allow-remote = true if a firewall or proxy guards it");
        }
        return new AdminConfig(enabled, host, port, allowRemote);
    }

    private MetricsConfig metrics(Config root) {
        return new MetricsConfig(
                get(() -> root.getBoolean("metrics.per-user-labels"), false, root, "metrics.per-user-labels"),
                intInRange(root, "metrics.max-label-values", 1, 100_000));
    }

    // ---- end of admin and metrics ----

    private Limits limits(Config root) {
        int rate = intInRange(root, "limits.new-connections-per-ip-per-second", 0, 1_000_000);
        int burst = intInRange(root, "limits.new-connections-per-ip-burst", 1, 10_000_000);
        return new Limits(
                intInRange(root, "limits.max-connections", 1, 10_000_000),
                (int) Math.min(Integer.MAX_VALUE, sizeInRange(root, "limits.max-pending-bytes", 0, 64L << 20)),
                intInRange(root, "limits.max-sessions-per-ip", 0, 10_000_000),
                intInRange(root, "limits.max-sessions-per-user", 0, 10_000_000),
                rate, burst,
                intInRange(root, "limits.tracked-ips", 1, 10_000_000));
    }

    private Security security(Config root) {
        boolean allowOpenRelay = get(() -> root.getBoolean("security.allow-open-relay"), false, root,
                "security.allow-open-relay");
        Duration delay = durationInRange(root, "security.auth-failure-delay", Duration.ZERO, Duration.ofMinutes(1));
        AuthBan ban = new AuthBan(
                intInRange(root, "security.auth-ban.failures", 0, 100),
                positiveDuration(root, "security.auth-ban.window"),
                positiveDuration(root, "security.auth-ban.duration"),
                cidrs(root, "security.auth-ban.exempt"));
        return new Security(allowOpenRelay, delay, ban);
    }

    private List<CidrBlock> cidrs(Config root, String key) {
        List<String> texts = get(() -> root.getStringList(key), List.of(), root, key);
        List<CidrBlock> blocks = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                blocks.add(CidrBlock.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                problem(root, key + "." + i, "expected an address block such as 10.0.0.0/8 or fd00::/8, got '"
                        + texts.get(i) + "' (" + e.getMessage() + ")");
            }
        }
        return blocks;
    }

    private List<ListenerConfig> listeners(Config root) {
        List<? extends Config> entries = get(() -> root.getConfigList("listeners"), List.of(), root, "listeners");
        if (entries.isEmpty() && root.hasPath("listeners")) {
            problem(root, "listeners", "empty: at least one listener is needed");
        }
        List<ListenerConfig> listeners = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String at = "listeners." + i;
            String name = entry.hasPath("name") ? get(() -> entry.getString("name"), "socks-" + i, root, at + ".name") : "socks-" + i;
            if (!names.add(name)) {
                problem(root, at + ".name", "duplicate listener name '" + name + "'");
            }
            String host = get(() -> entry.getString("host"), "127.0.0.1", root, at + ".host");
            int port = portOf(entry);
            if (port < 0 || port > 65535) {
                problem(root, at + ".port", "expected a port from 0 to 65535, got " + describe(entry, "port"));
            }
            ProxyProtocol proxyProtocol = proxyProtocol(entry, at);
            List<CidrBlock> trusted = trustedProxies(entry, at, proxyProtocol);
            ListenerTls tls = new ListenerTlsReader(configDirectory, this::entryProblem).read(entry, at);
            listeners.add(new ListenerConfig(name, host, port, proxyProtocol, trusted, tls));
        }
        return listeners;
    }

    /** {@code listeners.N.proxy-protocol}: off (the default) or required. */
    private ProxyProtocol proxyProtocol(Config entry, String at) {
        if (!entry.hasPathOrNull("proxy-protocol")) {
            return ProxyProtocol.OFF;
        }
        String raw;
        try {
            raw = entry.getString("proxy-protocol");
        } catch (ConfigException e) {
            raw = describe(entry, "proxy-protocol");
        }
        for (ProxyProtocol value : ProxyProtocol.values()) {
            if (value.configName().equals(raw.strip().toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        entryProblem(entry, "proxy-protocol", at + ".proxy-protocol", "expected one of [off, required], got '" + raw + "'");
        return ProxyProtocol.OFF;
    }

    /**
     * {@code listeners.N.trusted-proxies}: the load balancers' address blocks. Required (non-empty) with
     * {@code proxy-protocol = required}; meaningless without it, so refused there rather than ignored.
     */
    private List<CidrBlock> trustedProxies(Config entry, String at, ProxyProtocol proxyProtocol) {
        String key = at + ".trusted-proxies";
        List<String> texts = List.of();
        boolean readable = true;
        if (entry.hasPathOrNull("trusted-proxies")) {
            try {
                texts = entry.getStringList("trusted-proxies");
            } catch (ConfigException e) {
                readable = false;
                entryProblem(entry, "trusted-proxies", key, "expected a list of address blocks such as"
                        + " [\"10.0.0.0/8\", \"fd00::/8\"], got " + describe(entry, "trusted-proxies"));
            }
        }
        List<CidrBlock> blocks = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                blocks.add(CidrBlock.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                entryProblem(entry, "trusted-proxies", key + "." + i, "expected an address block such as 10.0.0.0/8"
                        + " or fd00::/8, got '" + texts.get(i) + "' (" + e.getMessage() + ")");
            }
        }
        if (proxyProtocol == ProxyProtocol.REQUIRED && texts.isEmpty() && readable) {
            entryProblem(entry, "trusted-proxies", key, "missing or empty: with proxy-protocol = required, list the load"
                    + " balancers' address blocks (such as [\"10.0.0.0/8\"]); a PROXY header is accepted from"
                    + " nowhere else");
        } else if (proxyProtocol == ProxyProtocol.OFF && !texts.isEmpty()) {
            entryProblem(entry, "trusted-proxies", key, "has no effect unless proxy-protocol = required on this"
                    + " listener: set proxy-protocol = required (the load balancer sends a PROXY header) or remove"
                    + " trusted-proxies");
        }
        return blocks;
    }

    /** A problem inside a list entry ({@code root} cannot address into lists): the origin comes from the entry. */
    private void entryProblem(Config entry, String entryKey, String key, String message) {
        String origin = "";
        try {
            if (entry.hasPathOrNull(entryKey)) {
                origin = entry.getValue(entryKey).origin().description();
            }
        } catch (ConfigException ignored) {
            // the origin is a nicety; the path and message already say what is wrong
        }
        problems.add(new ConfigProblem(ROOT + "." + key, message, origin));
    }

    /** The entry's port, or -1 when it is missing or not a number (reported once, by the range check). */
    private static int portOf(Config entry) {
        try {
            return entry.getInt("port");
        } catch (ConfigException e) {
            return -1;
        }
    }

    private List<PluginSpec> plugins(Config root, String key, Config pluginDefaults, boolean required) {
        List<? extends Config> entries = get(() -> root.getConfigList(key), List.of(), root, key);
        if (required && entries.isEmpty() && root.hasPath(key)) {
            problem(root, key, "empty: at least one plugin entry is needed");
        }
        List<PluginSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String at = key + "." + i;
            if (!entry.hasPath("plugin")) {
                problem(root, at, "missing 'plugin': the name of the plugin factory to use");
                continue;
            }
            String factory = get(() -> entry.getString("plugin"), null, root, at + ".plugin");
            if (factory == null) {
                continue;
            }
            String instance = entry.hasPath("name") ? get(() -> entry.getString("name"), factory, root, at + ".name") : factory;
            if (!names.add(instance)) {
                problem(root, at + ".name", "two entries named '" + instance + "': give each a distinct 'name'");
            }
            Config block = entry.withoutPath("plugin").withoutPath("name");
            if (pluginDefaults.hasPathOrNull(quote(factory))) {
                block = block.withFallback(pluginDefaults.getConfig(quote(factory)));
            }
            specs.add(new PluginSpec(factory, instance, block, ROOT + "." + at));
        }
        return specs;
    }

    private List<InetSocketAddress> dnsServers(Config root) {
        List<String> servers = get(() -> root.getStringList("dns.servers"), List.of(), root, "dns.servers");
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            String server = servers.get(i);
            try {
                addresses.add(HostPort.parse(server, 53));
            } catch (IllegalArgumentException e) {
                problem(root, "dns.servers." + i, "expected an IP address with an optional :port, got '" + server + "'");
            }
        }
        return addresses;
    }

    private Duration positiveDuration(Config root, String key) {
        Duration value = get(() -> root.getDuration(key), Duration.ofSeconds(1), root, key);
        if (value.isNegative() || value.isZero()) {
            problem(root, key, "expected a positive duration such as 10s, got " + describe(root, key));
        }
        return value;
    }

    private Duration durationInRange(Config root, String key, Duration min, Duration max) {
        Duration value = get(() -> root.getDuration(key), min, root, key);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problem(root, key, "expected a duration from " + min.toMillis() + "ms to " + max.toMillis() + "ms, got "
                    + describe(root, key));
        }
        return value;
    }

    private int intInRange(Config root, String key, int min, int max) {
        int value = get(() -> root.getInt(key), min, root, key);
        if (value < min || value > max) {
            problem(root, key, "expected a whole number from " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    private long sizeInRange(Config root, String key, long min, long max) {
        long value = get(() -> root.getBytes(key), min, root, key);
        if (value < min || value > max) {
            problem(root, key, "expected a size from " + min + " to " + max + " bytes, got " + value);
        }
        return value;
    }

    private <E extends Enum<E>> E enumValue(Config root, String key, Class<E> type, E fallback) {
        String raw = get(() -> root.getString(key), fallback.name(), root, key);
        try {
            return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            problem(root, key, "expected one of " + allowed + ", got '" + raw + "'");
            return fallback;
        }
    }

    private <T> T get(Supplier<T> read, T fallback, Config root, String key) {
        try {
            return read.get();
        } catch (ConfigException.Missing e) {
            problem(root, key, "missing");
            return fallback;
        } catch (ConfigException e) {
            problem(root, key, "expected " + expectation(e) + ", got " + describe(root, key));
            return fallback;
        }
    }

    private static String expectation(ConfigException e) {
        String message = e.getMessage();
        // "<origin>: <path> has type STRING rather than NUMBER"
        int rather = message.indexOf(" rather than ");
        if (message.contains(" has type ") && rather >= 0) {
            return "a value of type " + message.substring(rather + " rather than ".length()).strip().toLowerCase(Locale.ROOT);
        }
        int bad = message.indexOf("Invalid value at");
        return bad >= 0 ? message.substring(bad) : message;
    }

    private void problem(Config root, String key, String message) {
        String origin = "";
        try {
            if (root.hasPathOrNull(key)) {
                ConfigValue value = root.getValue(key);
                origin = value.origin().description();
            }
        } catch (ConfigException ignored) {
            // the origin is a nicety; the path and message already say what is wrong
        }
        problems.add(new ConfigProblem(ROOT + "." + key, message, origin));
    }

    private static String describe(Config root, String key) {
        try {
            if (!root.hasPathOrNull(key)) {
                return "nothing";
            }
            ConfigValue value = root.getValue(key);
            String rendered = value.render(com.typesafe.config.ConfigRenderOptions.concise());
            return value.valueType() == ConfigValueType.STRING ? rendered : rendered + " (" + value.valueType().name().toLowerCase(Locale.ROOT) + ")";
        } catch (ConfigException e) {
            return "an unreadable value";
        }
    }

    private static String quote(String key) {
        return com.typesafe.config.ConfigUtil.quoteString(key);
    }
}
