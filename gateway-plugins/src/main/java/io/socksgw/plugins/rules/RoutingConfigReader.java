package io.socksgw.plugins.rules;

import static io.socksgw.plugins.match.ConfigValues.path;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.DnsPolicy;
import io.socksgw.api.route.Hop;
import io.socksgw.plugins.match.ConfigProblems;
import io.socksgw.plugins.match.ConfigValues;
import io.socksgw.plugins.match.IpLiteral;
import io.socksgw.plugins.match.MatchReader;
import io.socksgw.plugins.match.RequestMatcher;
import io.socksgw.plugins.match.RuleNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates a {@code rules} router's block into a {@link RoutingConfig}: upstreams, chains,
 * groups, rules, default and health, in that order, each checked against the ones before it.
 *
 * <p>Named upstreams, chains and groups are read in name order (HOCON objects keep no order), so
 * messages come out the same way every time. Every problem is collected and thrown once as a
 * {@link ConfigException.BadValue} naming the path (relative to the block) and what was expected.
 * Unknown keys are problems too, so a misspelt {@code defualt} is caught rather than ignored. Every
 * key is optional; the defaults (no upstreams, no rules, {@code default = direct}) route everything
 * directly.
 */
final class RoutingConfigReader {

    static final String UPSTREAMS = "upstreams";
    static final String CHAINS = "chains";
    static final String GROUPS = "groups";
    static final String RULES = "rules";
    static final String DEFAULT = "default";
    static final String HEALTH = "health";

    static final String HOPS = "hops";
    static final String DNS = "dns";
    static final String GROUP_CHAINS = "chains";
    static final String STRATEGY = "strategy";
    static final String NAME = "name";
    static final String MATCH = "match";
    static final String VIA = "via";
    static final String FAILURE_THRESHOLD = "failure-threshold";
    static final String COOLDOWN = "cooldown";
    static final String PROBE_INTERVAL = "probe-interval";

    private static final Set<String> KEYS = Set.of(UPSTREAMS, CHAINS, GROUPS, RULES, DEFAULT, HEALTH);
    private static final Set<String> CHAIN_KEYS = Set.of(HOPS, DNS);
    private static final Set<String> GROUP_KEYS = Set.of(GROUP_CHAINS, STRATEGY);
    private static final Set<String> RULE_KEYS = Set.of(NAME, MATCH, VIA);
    private static final Set<String> HEALTH_KEYS = Set.of(FAILURE_THRESHOLD, COOLDOWN, PROBE_INTERVAL);
    private static final Set<String> RESERVED_NAMES = Set.of(Via.DIRECT_NAME, Via.REJECT_NAME);
    private static final Duration MIN_PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final int MAX_FAILURE_THRESHOLD = 1_000_000;

    private static final Logger log = LoggerFactory.getLogger(RoutingConfigReader.class);

    private final String instanceName;
    private final ConfigProblems problems = new ConfigProblems();
    /** Chains and groups that failed validation: a reference to one is not reported again as unknown. */
    private final Set<String> invalidNames = new LinkedHashSet<>();

    private final Path configDirectory;

    /** For blocks without relative file paths (tests): paths resolve against the working directory. */
    RoutingConfigReader(String instanceName) {
        this(instanceName, Path.of("."));
    }

    /** @param configDirectory where relative paths (upstream TLS files) are resolved */
    RoutingConfigReader(String instanceName, Path configDirectory) {
        this.instanceName = instanceName;
        this.configDirectory = configDirectory;
    }

    /**
     * @throws ConfigException.BadValue listing every problem in the block
     */
    RoutingConfig read(Config config) {
        ConfigObject root = config.root();
        ConfigValues.checkKeys(root, "", KEYS, problems);
        Map<String, Hop> upstreams = new UpstreamReader(problems, configDirectory).read(root.get(UPSTREAMS), UPSTREAMS);
        Set<String> invalidUpstreams = invalidKeys(root.get(UPSTREAMS), upstreams.keySet());
        Map<String, Chain> chains = readChains(root.get(CHAINS), upstreams, invalidUpstreams);
        Map<String, GroupSpec> groups = readGroups(root.get(GROUPS), chains);
        List<RuleSpec> rules = readRules(root.get(RULES), chains, groups);
        Via defaultVia = root.containsKey(DEFAULT)
                ? readVia(root.get(DEFAULT), DEFAULT, chains, groups)
                : Via.DIRECT;
        HealthSettings health = readHealth(root.get(HEALTH));
        problems.throwIfAny();
        warnAboutDomainsThroughSocks4(chains);
        return new RoutingConfig(upstreams, chains, groups, rules, defaultVia, health);
    }

    private Map<String, Chain> readChains(ConfigValue value, Map<String, Hop> upstreams, Set<String> invalidUpstreams) {
        Map<String, Chain> chains = new LinkedHashMap<>();
        ConfigObject object = value == null ? null : ConfigValues.object(value, CHAINS,
                "an object of named chains, e.g. { via-a { hops = [my-proxy] } }", problems);
        if (object == null) {
            return chains;
        }
        for (Map.Entry<String, ConfigValue> entry : new TreeMap<>(object).entrySet()) {
            String name = entry.getKey();
            String path = path(CHAINS, name);
            int before = problems.size();
            checkNotReserved(name, entry.getValue(), path, "chain");
            Chain chain = readChain(name, entry.getValue(), path, upstreams, invalidUpstreams);
            if (chain != null && problems.size() == before) {
                chains.put(name, chain);
            } else {
                invalidNames.add(name);
            }
        }
        return chains;
    }

    private Chain readChain(String name, ConfigValue value, String path, Map<String, Hop> upstreams,
            Set<String> invalidUpstreams) {
        ConfigObject entry = ConfigValues.object(value, path,
                "a chain { hops = [upstream, ...], dns = remote | local }", problems);
        if (entry == null) {
            return null;
        }
        ConfigValues.checkKeys(entry, path, CHAIN_KEYS, problems);
        DnsPolicy dns = DnsPolicy.REMOTE;
        if (entry.containsKey(DNS)) {
            String text = ConfigValues.text(entry.get(DNS), path(path, DNS), "remote or local", problems);
            if ("remote".equalsIgnoreCase(text)) {
                dns = DnsPolicy.REMOTE;
            } else if ("local".equalsIgnoreCase(text)) {
                dns = DnsPolicy.LOCAL;
            } else if (text != null) {
                problems.add(entry.get(DNS), path(path, DNS), "expected remote (the last hop resolves names) or"
                        + " local (the gateway resolves them), got '" + text + "'");
            }
        }
        ConfigValue hopsValue = entry.get(HOPS);
        String hopsPath = path(path, HOPS);
        if (hopsValue == null) {
            problems.add(entry, hopsPath, "missing; expected a non-empty list of upstream names, first hop first");
            return null;
        }
        List<String> hopNames = names(hopsValue, hopsPath, "an upstream name");
        if (hopNames == null) {
            return null;
        }
        List<Hop> hops = new ArrayList<>();
        for (int i = 0; i < hopNames.size(); i++) {
            Hop hop = upstreams.get(hopNames.get(i));
            if (hop != null) {
                hops.add(hop);
            } else if (!invalidUpstreams.contains(hopNames.get(i))) {
                problems.add(element(hopsValue, i), path(hopsPath, i), "no upstream named '" + hopNames.get(i)
                        + "'; expected one of " + upstreams.keySet());
            }
        }
        return hops.size() == hopNames.size() ? new Chain(name, hops, dns) : null;
    }

    private Map<String, GroupSpec> readGroups(ConfigValue value, Map<String, Chain> chains) {
        Map<String, GroupSpec> groups = new LinkedHashMap<>();
        ConfigObject object = value == null ? null : ConfigValues.object(value, GROUPS,
                "an object of named groups, e.g. { pool { chains = [a, b], strategy = failover } }", problems);
        if (object == null) {
            return groups;
        }
        for (Map.Entry<String, ConfigValue> entry : new TreeMap<>(object).entrySet()) {
            String name = entry.getKey();
            String path = path(GROUPS, name);
            int before = problems.size();
            checkNotReserved(name, entry.getValue(), path, "group");
            if (chains.containsKey(name) || invalidNames.contains(name)) {
                problems.add(entry.getValue(), path, "a chain is also named '" + name
                        + "'; chains and groups share one namespace, since a rule's via names either");
            }
            GroupSpec group = readGroup(name, entry.getValue(), path, chains);
            if (group != null && problems.size() == before) {
                groups.put(name, group);
            } else {
                invalidNames.add(name);
            }
        }
        return groups;
    }

    private GroupSpec readGroup(String name, ConfigValue value, String path, Map<String, Chain> chains) {
        ConfigObject entry = ConfigValues.object(value, path,
                "a group { chains = [chain, ...], strategy = failover | round-robin | random | least-active }",
                problems);
        if (entry == null) {
            return null;
        }
        ConfigValues.checkKeys(entry, path, GROUP_KEYS, problems);
        GroupStrategy strategy = GroupStrategy.FAILOVER;
        if (entry.containsKey(STRATEGY)) {
            String expected = "failover, round-robin, random or least-active";
            String text = ConfigValues.text(entry.get(STRATEGY), path(path, STRATEGY), expected, problems);
            strategy = text == null ? null : GroupStrategy.fromConfigName(text);
            if (text != null && strategy == null) {
                problems.add(entry.get(STRATEGY), path(path, STRATEGY),
                        "expected " + expected + ", got '" + text + "'");
            }
        }
        ConfigValue chainsValue = entry.get(GROUP_CHAINS);
        String chainsPath = path(path, GROUP_CHAINS);
        if (chainsValue == null) {
            problems.add(entry, chainsPath, "missing; expected a non-empty list of chain names");
            return null;
        }
        List<String> chainNames = names(chainsValue, chainsPath, "a chain name");
        if (chainNames == null) {
            return null;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < chainNames.size(); i++) {
            String chain = chainNames.get(i);
            if (!seen.add(chain)) {
                problems.add(element(chainsValue, i), path(chainsPath, i), "chain '" + chain + "' is listed twice");
            } else if (!chains.containsKey(chain) && !invalidNames.contains(chain)) {
                problems.add(element(chainsValue, i), path(chainsPath, i), "no chain named '" + chain
                        + "'; expected one of " + chains.keySet() + " (a group lists chains, not other groups)");
            }
        }
        return strategy == null ? null : new GroupSpec(name, chainNames, strategy);
    }

    private List<RuleSpec> readRules(ConfigValue value, Map<String, Chain> chains, Map<String, GroupSpec> groups) {
        List<RuleSpec> rules = new ArrayList<>();
        if (value == null) {
            return rules;
        }
        if (value.valueType() != ConfigValueType.LIST) {
            problems.add(value, RULES, "expected a list of rules [ { name = ..., match { ... }, via = ... } ],"
                    + " got " + ConfigValues.typeName(value));
            return rules;
        }
        ConfigList list = (ConfigList) value;
        RuleNames names = new RuleNames(problems, Set.of(RoutingConfig.DEFAULT_RULE), "requests no rule matches");
        MatchReader matchReader = new MatchReader(problems);
        for (int i = 0; i < list.size(); i++) {
            String path = path(RULES, i);
            ConfigObject entry = ConfigValues.object(list.get(i), path,
                    "a rule { name = ..., match { ... }, via = ... }", problems);
            if (entry == null) {
                continue;
            }
            ConfigValues.checkKeys(entry, path, RULE_KEYS, problems);
            String name = names.read(entry, path);
            RequestMatcher matcher = matchReader.read(entry.get(MATCH), path(path, MATCH));
            Via via = null;
            if (!entry.containsKey(VIA)) {
                problems.add(entry, path(path, VIA),
                        "missing; expected direct, reject, or the name of a chain or group");
            } else {
                via = readVia(entry.get(VIA), path(path, VIA), chains, groups);
            }
            if (name != null && matcher != null && via != null) {
                rules.add(new RuleSpec(name, matcher, via));
            }
        }
        return rules;
    }

    private Via readVia(ConfigValue value, String path, Map<String, Chain> chains, Map<String, GroupSpec> groups) {
        String expected = "direct, reject, or the name of a chain or group";
        String name = ConfigValues.text(value, path, expected, problems);
        if (name == null) {
            return null;
        }
        if (name.equals(Via.DIRECT_NAME)) {
            return Via.DIRECT;
        }
        if (name.equals(Via.REJECT_NAME)) {
            return Via.REJECT;
        }
        if (chains.containsKey(name)) {
            return new Via(Via.Kind.CHAIN, name);
        }
        if (groups.containsKey(name)) {
            return new Via(Via.Kind.GROUP, name);
        }
        if (!invalidNames.contains(name)) {
            problems.add(value, path, "expected " + expected + ", got '" + name + "'; chains: " + chains.keySet()
                    + ", groups: " + groups.keySet());
        }
        return null;
    }

    private HealthSettings readHealth(ConfigValue value) {
        HealthSettings defaults = HealthSettings.DEFAULTS;
        if (value == null) {
            return defaults;
        }
        ConfigObject health = ConfigValues.object(value, HEALTH,
                "an object { failure-threshold = 3, cooldown = 30s, probe-interval = 0s }", problems);
        if (health == null) {
            return defaults;
        }
        ConfigValues.checkKeys(health, HEALTH, HEALTH_KEYS, problems);
        Config block = health.toConfig();
        int threshold = defaults.failureThreshold();
        String thresholdPath = path(HEALTH, FAILURE_THRESHOLD);
        if (block.hasPath(FAILURE_THRESHOLD)) {
            String expected = "a whole number from 1 to " + MAX_FAILURE_THRESHOLD;
            try {
                threshold = block.getInt(FAILURE_THRESHOLD);
                if (threshold < 1 || threshold > MAX_FAILURE_THRESHOLD) {
                    problems.add(health.get(FAILURE_THRESHOLD), thresholdPath,
                            "expected " + expected + ", got " + threshold);
                }
            } catch (ConfigException e) {
                problems.add(health.get(FAILURE_THRESHOLD), thresholdPath, "expected " + expected + ", got '"
                        + health.get(FAILURE_THRESHOLD).unwrapped() + "'");
            }
        }
        Duration cooldown = duration(health, block, COOLDOWN, defaults.cooldown());
        if (cooldown != null && (cooldown.isZero() || cooldown.isNegative())) {
            problems.add(health.get(COOLDOWN), path(HEALTH, COOLDOWN), "expected a positive duration such as 30s");
        }
        Duration interval = duration(health, block, PROBE_INTERVAL, defaults.probeInterval());
        if (interval != null && !interval.isZero() && interval.compareTo(MIN_PROBE_INTERVAL) < 0) {
            problems.add(health.get(PROBE_INTERVAL), path(HEALTH, PROBE_INTERVAL),
                    "expected 0s (no probing) or a duration of at least 1s");
        }
        return cooldown == null || interval == null ? defaults : new HealthSettings(threshold, cooldown, interval);
    }

    private Duration duration(ConfigObject health, Config block, String key, Duration fallback) {
        if (!block.hasPath(key)) {
            return fallback;
        }
        try {
            return block.getDuration(key);
        } catch (ConfigException e) {
            problems.add(health.get(key), path(HEALTH, key), "expected a duration such as 30s or 500ms, got '"
                    + health.get(key).unwrapped() + "'");
            return null;
        }
    }

    /** A non-empty list of names (a single name is taken as a one-element list), or null. */
    private List<String> names(ConfigValue value, String path, String expected) {
        return ConfigValues.texts(value, path, expected, problems);
    }

    private void checkNotReserved(String name, ConfigValue value, String path, String what) {
        if (RESERVED_NAMES.contains(name)) {
            problems.add(value, path, "'" + name + "' is reserved (a rule's via = " + name + " means the built-in);"
                    + " expected another " + what + " name");
        }
    }

    private static ConfigValue element(ConfigValue listOrScalar, int index) {
        return listOrScalar.valueType() == ConfigValueType.LIST ? ((ConfigList) listOrScalar).get(index) : listOrScalar;
    }

    /** The keys of an {@code upstreams} object that did not make it into {@code valid}. */
    private static Set<String> invalidKeys(ConfigValue object, Set<String> valid) {
        Set<String> invalid = new LinkedHashSet<>();
        if (object instanceof ConfigObject entries) {
            for (String key : entries.keySet()) {
                if (!valid.contains(key)) {
                    invalid.add(key);
                }
            }
        }
        return invalid;
    }

    /**
     * Chains that will fail some requests by design: a plain SOCKS4 hop cannot be handed a name, so
     * with {@code dns = remote} a domain destination through a SOCKS4 last hop is refused by the
     * gateway (fail closed, no DNS leak), and a SOCKS4 hop cannot be asked to reach a next hop given
     * by name.
     */
    private void warnAboutDomainsThroughSocks4(Map<String, Chain> chains) {
        for (Chain chain : chains.values()) {
            List<Hop> hops = chain.hops();
            Hop last = hops.get(hops.size() - 1);
            if (last.protocol() == SocksVersion.SOCKS4 && chain.dnsPolicy() == DnsPolicy.REMOTE) {
                log.warn("router '{}': chain '{}' ends at {}, which speaks plain socks4 and cannot take a domain name;"
                        + " with dns = remote, requests for domain names through it will be refused."
                        + " Set dns = local, or use socks4a or socks5.", instanceName, chain.name(), last);
            }
            for (int i = 0; i + 1 < hops.size(); i++) {
                Hop next = hops.get(i + 1);
                if (hops.get(i).protocol() == SocksVersion.SOCKS4 && IpLiteral.parse(next.host()) == null) {
                    log.warn("router '{}': chain '{}': {} speaks plain socks4 and cannot be asked to reach the next"
                            + " hop by name ('{}'); give {} an IP address as host, or use socks4a or socks5.",
                            instanceName, chain.name(), hops.get(i), next.host(), next.name());
                }
            }
        }
    }
}
