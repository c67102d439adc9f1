package io.socksgw.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --key value} pairs (a key may repeat) and {@code --flag}s, in order. */
final class Options {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    Options(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + arg);
            }
            String key = arg.substring(2);
            String value = "true";
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            }
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    String get(String key, String fallback) {
        List<String> all = values.get(key);
        return all == null ? fallback : all.get(all.size() - 1);
    }

    int getInt(String key, int fallback) {
        return Integer.parseInt(get(key, Integer.toString(fallback)));
    }

    double getDouble(String key, double fallback) {
        return Double.parseDouble(get(key, Double.toString(fallback)));
    }

    List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }
}
