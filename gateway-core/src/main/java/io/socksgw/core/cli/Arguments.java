package io.socksgw.core.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} options of a sub-command (and {@code --name=value}). */
final class Arguments {

    private final Map<String, String> options;

    private Arguments(Map<String, String> options) {
        this.options = options;
    }

    static Arguments parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(arg.substring(2), args[++i]);
            } else {
                options.put(arg.substring(2), "");
            }
        }
        return new Arguments(options);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** Fails on options the command does not know, so typos are not silently ignored. */
    Arguments allow(String... names) {
        Set<String> allowed = Set.of(names);
        for (String name : options.keySet()) {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        return this;
    }
}
