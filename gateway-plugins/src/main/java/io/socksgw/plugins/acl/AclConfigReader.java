package io.socksgw.plugins.acl;

import static io.socksgw.plugins.match.ConfigValues.path;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.socksgw.plugins.match.AllOfMatcher;
import io.socksgw.plugins.match.ConfigProblems;
import io.socksgw.plugins.match.ConfigValues;
import io.socksgw.plugins.match.MatchReader;
import io.socksgw.plugins.match.RuleNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates an {@code acl} block into an {@link AclConfig}. Every problem is collected and
 * thrown once as a {@link ConfigException.BadValue} naming the path (relative to the block, e.g.
 * {@code rules.1.match.destination.0}) and what was expected. Unknown keys are problems too, so a
 * misspelt {@code defualt} or {@code macth} is caught rather than ignored.
 */
final class AclConfigReader {

    static final String RULES = "rules";
    static final String DEFAULT = "default";
    static final String SPECIAL_DESTINATIONS = "special-destinations";
    static final String NAME = "name";
    static final String ACTION = "action";
    static final String MATCH = "match";

    private static final Set<String> KEYS = Set.of(RULES, DEFAULT, SPECIAL_DESTINATIONS);
    private static final Set<String> RULE_KEYS = Set.of(NAME, ACTION, MATCH);
    private static final Set<String> RESERVED_NAMES =
            Set.of(RuleBasedAccessPolicy.DEFAULT_RULE, RuleBasedAccessPolicy.SPECIAL_RULE);

    private static final Logger log = LoggerFactory.getLogger(AclConfigReader.class);

    private final String instanceName;
    private final ConfigProblems problems = new ConfigProblems();

    AclConfigReader(String instanceName) {
        this.instanceName = instanceName;
    }

    /**
     * @throws ConfigException.BadValue listing every problem in the block
     */
    AclConfig read(Config config) {
        ConfigObject root = config.root();
        ConfigValues.checkKeys(root, "", KEYS, problems);
        List<AclRule> rules = readRules(root.get(RULES));
        AclConfig.DefaultAction defaultAction = AclConfig.DefaultAction.ABSTAIN;
        if (root.containsKey(DEFAULT)) {
            defaultAction = choice(root.get(DEFAULT), DEFAULT, AclConfig.DefaultAction.values(), d -> d.configName,
                    "allow, deny or abstain (let the gateway's access.default decide)");
        }
        AclConfig.SpecialDestinationsMode special = AclConfig.SpecialDestinationsMode.DENY_UNLESS_LOOPBACK_CLIENT;
        if (root.containsKey(SPECIAL_DESTINATIONS)) {
            special = choice(root.get(SPECIAL_DESTINATIONS), SPECIAL_DESTINATIONS,
                    AclConfig.SpecialDestinationsMode.values(), m -> m.configName,
                    "deny-unless-loopback-client (the default) or allow");
        }
        problems.throwIfAny();
        warnAboutUnreachableRules(rules);
        return new AclConfig(rules, defaultAction, special);
    }

    private List<AclRule> readRules(ConfigValue value) {
        List<AclRule> rules = new ArrayList<>();
        if (value == null) {
            return rules;
        }
        if (value.valueType() != ConfigValueType.LIST) {
            problems.add(value, RULES, "expected a list of rules [ { name = ..., action = allow | deny, match { ... } } ],"
                    + " got " + ConfigValues.typeName(value));
            return rules;
        }
        ConfigList list = (ConfigList) value;
        RuleNames names = new RuleNames(problems, RESERVED_NAMES, "the decisions of the policy itself");
        MatchReader matchReader = MatchReader.allowingAnyDestination(problems);
        for (int i = 0; i < list.size(); i++) {
            String path = path(RULES, i);
            ConfigObject entry = ConfigValues.object(list.get(i), path,
                    "a rule { name = ..., action = allow | deny, match { ... } }", problems);
            if (entry == null) {
                continue;
            }
            ConfigValues.checkKeys(entry, path, RULE_KEYS, problems);
            String name = names.read(entry, path);
            AclRule.Action action = null;
            if (!entry.containsKey(ACTION)) {
                problems.add(entry, path(path, ACTION), "missing; expected allow or deny");
            } else {
                action = choice(entry.get(ACTION), path(path, ACTION), AclRule.Action.values(),
                        a -> a.name().toLowerCase(Locale.ROOT), "allow or deny");
            }
            AllOfMatcher matcher = matchReader.read(entry.get(MATCH), path(path, MATCH));
            if (name != null && action != null && matcher != null) {
                rules.add(new AclRule(name, action, matcher));
            }
        }
        return rules;
    }

    /** One of a fixed set of words (any case), or null after recording what was expected. */
    private <T> T choice(ConfigValue value, String path, T[] options, Function<T, String> word,
            String expected) {
        String text = ConfigValues.text(value, path, expected, problems);
        if (text == null) {
            return null;
        }
        for (T option : options) {
            if (word.apply(option).equalsIgnoreCase(text)) {
                return option;
            }
        }
        problems.add(value, path, "expected " + expected + ", got '" + text + "'");
        return null;
    }

    /** A rule without criteria matches everything, so rules after it never decide: likely a mistake. */
    private void warnAboutUnreachableRules(List<AclRule> rules) {
        for (int i = 0; i + 1 < rules.size(); i++) {
            if (rules.get(i).matcher().isEmpty()) {
                log.warn("acl '{}': rule '{}' matches every request, so the {} rule(s) after it never decide",
                        instanceName, rules.get(i).name(), rules.size() - i - 1);
                return;
            }
        }
    }
}
