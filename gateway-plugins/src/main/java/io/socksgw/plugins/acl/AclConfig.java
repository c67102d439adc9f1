package io.socksgw.plugins.acl;

import java.util.List;

/**
 * An {@code acl} block, validated.
 *
 * @param rules the rules in order; the first that matches decides
 * @param defaultAction what a request no rule decides gets, in the phases that take new decisions
 * @param specialDestinations what happens to requests for the built-in special destinations
 */
record AclConfig(List<AclRule> rules, DefaultAction defaultAction, SpecialDestinationsMode specialDestinations) {

    AclConfig {
        rules = List.copyOf(rules);
    }

    /** {@code default}: the answer when no rule matched. */
    enum DefaultAction {
        ALLOW("allow"),
        DENY("deny"),
        /** No opinion: the next access policy is asked, then the gateway's {@code access.default}. */
        ABSTAIN("abstain");

        final String configName;

        DefaultAction(String configName) {
            this.configName = configName;
        }
    }

    /** {@code special-destinations}: whether the built-in set of internal addresses is guarded. */
    enum SpecialDestinationsMode {
        /** Denied to clients that are not on loopback themselves, unless a rule naming the destination allows it. */
        DENY_UNLESS_LOOPBACK_CLIENT("deny-unless-loopback-client"),
        /** Not treated specially: only the rules and the default apply. */
        ALLOW("allow");

        final String configName;

        SpecialDestinationsMode(String configName) {
            this.configName = configName;
        }
    }
}
