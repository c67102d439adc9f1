package io.socksgw.plugins.rules;

import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Hop;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code rules} router's configuration, validated: every name a chain, group or rule refers to
 * exists. Maps are in name order (HOCON objects have none).
 *
 * @param upstreams the hops by name
 * @param chains the chains by name, each built once so that the same object travels in every route
 * @param groups the groups by name
 * @param rules the rules, in order
 * @param defaultVia where requests no rule matched go
 * @param health the {@code health} block
 */
record RoutingConfig(
        Map<String, Hop> upstreams,
        Map<String, Chain> chains,
        Map<String, GroupSpec> groups,
        List<RuleSpec> rules,
        Via defaultVia,
        HealthSettings health) {

    /** The rule name reported when no rule matched. */
    static final String DEFAULT_RULE = "default";

    RoutingConfig {
        upstreams = Collections.unmodifiableMap(new LinkedHashMap<>(upstreams));
        chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        rules = List.copyOf(rules);
    }
}
