package io.socksgw.plugins.match;

import static io.socksgw.plugins.match.ConfigValues.path;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a rule's {@code match { ... }} block into one {@link RequestMatcher}. Each key is a criterion
 * taking a list (or a single value); a request must meet every criterion given, and meets one when
 * any listed value matches. Leaving {@code match} out, or empty, matches every request.
 */
public final class MatchReader {

    public static final String DESTINATION = "destination";
    public static final String PORT = "port";
    public static final String CLIENT = "client";
    public static final String USER = "user";
    public static final String GROUP = "group";
    public static final String COMMAND = "command";
    public static final String LISTENER = "listener";

    private static final Set<String> KEYS = Set.of(DESTINATION, PORT, CLIENT, USER, GROUP, COMMAND, LISTENER);

    private final ConfigProblems problems;
    private final boolean anyDestination;

    /** A reader that records what is wrong in {@code problems}. */
    public MatchReader(ConfigProblems problems) {
        this(problems, false);
    }

    private MatchReader(ConfigProblems problems, boolean anyDestination) {
        this.problems = problems;
        this.anyDestination = anyDestination;
    }

    /**
     * A reader that also takes {@code destination = ["*"]}, any destination. Only useful where a rule
     * that names every destination means more than a rule without a destination criterion (the
     * {@code acl} policy's special destinations); elsewhere leaving the criterion out says the same.
     */
    public static MatchReader allowingAnyDestination(ConfigProblems problems) {
        return new MatchReader(problems, true);
    }

    /** The matcher of a {@code match} value (null: match everything), or null after recording problems. */
    public AllOfMatcher read(ConfigValue value, String path) {
        if (value == null) {
            return AllOfMatcher.everything();
        }
        ConfigObject match = ConfigValues.object(value, path,
                "an object of criteria, e.g. { destination = [\"*.example.com\"], port = [\"443\"] }", problems);
        if (match == null) {
            return null;
        }
        int before = problems.size();
        ConfigValues.checkKeys(match, path, KEYS, problems);
        Map<String, RequestMatcher> criteria = new LinkedHashMap<>();
        // A fixed order, cheapest first, so a non-matching rule is usually left after one comparison.
        criterion(match, path, LISTENER, "a listener name", ListenerMatcher::new, criteria);
        criterion(match, path, COMMAND, "CONNECT, BIND or UDP_ASSOCIATE", CommandMatcher::of, criteria);
        criterion(match, path, PORT, "a port (\"443\") or a range (\"8000-8100\")", PortMatcher::of, criteria);
        criterion(match, path, USER, "a user name", UserMatcher::new, criteria);
        criterion(match, path, GROUP, "a group name", GroupMatcher::new, criteria);
        criterion(match, path, CLIENT, "a client network (\"192.168.0.0/16\") or address", ClientMatcher::of, criteria);
        criterion(match, path, DESTINATION, "a host (exact.example.com, *.example.com, .example.com), an IP"
                + " address or a network (10.0.0.0/8)" + (anyDestination ? ", or * for any" : ""),
                patterns -> DestinationMatcher.of(patterns, anyDestination), criteria);
        return problems.size() > before ? null : new AllOfMatcher(criteria);
    }

    /**
     * Reads one criterion, if present. Each value is first built on its own, so that a bad one is
     * reported with its index ({@code rules.0.match.port.1}).
     */
    private void criterion(ConfigObject match, String path, String key, String expected,
            Function<List<String>, RequestMatcher> build, Map<String, RequestMatcher> criteria) {
        ConfigValue value = match.get(key);
        if (value == null) {
            return;
        }
        String keyPath = path(path, key);
        List<String> values = ConfigValues.texts(value, keyPath, expected, problems);
        if (values == null) {
            return;
        }
        boolean ok = true;
        for (int i = 0; i < values.size(); i++) {
            try {
                build.apply(List.of(values.get(i)));
            } catch (IllegalArgumentException e) {
                boolean single = value.valueType() != ConfigValueType.LIST;
                problems.add(single ? value : ((ConfigList) value).get(i),
                        single ? keyPath : path(keyPath, i), e.getMessage());
                ok = false;
            }
        }
        if (ok) {
            criteria.put(key, build.apply(values));
        }
    }
}
