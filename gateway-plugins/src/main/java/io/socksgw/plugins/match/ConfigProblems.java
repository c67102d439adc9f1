package io.socksgw.plugins.match;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem in a configuration block, so that one start-up shows them all, then throws
 * them as one {@link ConfigException.BadValue}: the first problem's path and origin, with the others
 * (path, line, message) appended to its message.
 */
public final class ConfigProblems {

    private record Problem(ConfigOrigin origin, String path, String message) {}

    private final List<Problem> problems = new ArrayList<>();

    /**
     * Records a problem.
     *
     * @param where the offending value, or the object that lacks a key (for its file and line); may be null
     * @param path the path within the block, e.g. {@code upstreams.dante-a.port}
     * @param message what is wrong and what was expected
     */
    public void add(ConfigValue where, String path, String message) {
        problems.add(new Problem(where == null ? null : where.origin(), path, message));
    }

    public int size() {
        return problems.size();
    }

    /** @throws ConfigException.BadValue carrying every problem recorded, if there is any */
    public void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        Problem first = problems.get(0);
        StringBuilder message = new StringBuilder(first.message());
        if (problems.size() > 1) {
            message.append(" (and ").append(problems.size() - 1).append(" more: ");
            for (int i = 1; i < problems.size(); i++) {
                Problem other = problems.get(i);
                message.append(i > 1 ? "; " : "").append("'").append(other.path()).append("'");
                if (other.origin() != null && other.origin().lineNumber() >= 0) {
                    message.append(" (line ").append(other.origin().lineNumber()).append(")");
                }
                message.append(": ").append(other.message());
            }
            message.append(")");
        }
        throw first.origin() == null
                ? new ConfigException.BadValue(first.path(), message.toString())
                : new ConfigException.BadValue(first.origin(), first.path(), message.toString());
    }
}
