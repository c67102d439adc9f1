package io.socksgw.plugins.match;

import com.typesafe.config.ConfigObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code name} of each entry in a list of rules, reporting a missing one, one used twice
 * (with the path of its first use) and one of the names the plugin keeps for itself.
 */
public final class RuleNames {

    private static final String NAME = "name";

    private final ConfigProblems problems;
    private final Set<String> reserved;
    private final String reservedFor;
    private final Map<String, String> pathOfName = new HashMap<>();

    /**
     * @param reserved names no rule may take
     * @param reservedFor what they are kept for, to finish "'x' is reserved for ..."
     */
    public RuleNames(ConfigProblems problems, Set<String> reserved, String reservedFor) {
        this.problems = problems;
        this.reserved = Set.copyOf(reserved);
        this.reservedFor = reservedFor;
    }

    /** The name of the rule at {@code path}, or null when it has none (reported). */
    public String read(ConfigObject rule, String path) {
        String name = ConfigValues.requiredText(rule, NAME, path, "a rule name", problems);
        if (name == null) {
            return null;
        }
        String earlier = pathOfName.putIfAbsent(name, path);
        if (earlier != null) {
            problems.add(rule.get(NAME), ConfigValues.path(path, NAME), "duplicate rule name '" + name
                    + "' (already used at " + earlier + ")");
        } else if (reserved.contains(name)) {
            problems.add(rule.get(NAME), ConfigValues.path(path, NAME), "'" + name + "' is reserved for "
                    + reservedFor + "; expected another name");
        }
        return name;
    }
}
