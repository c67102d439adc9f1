package io.socksgw.plugins.match;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Reading raw config values strictly, recording what is wrong in {@link ConfigProblems}. */
public final class ConfigValues {

    private ConfigValues() {}

    /** {@code parent.key} as a config path, quoting keys that need it ({@code upstreams."a.b"}). */
    public static String path(String parent, String key) {
        String quoted = ConfigUtil.joinPath(key);
        return parent.isEmpty() ? quoted : parent + "." + quoted;
    }

    /** {@code parent.index}, for list elements. */
    public static String path(String parent, int index) {
        return parent + "." + index;
    }

    /**
     * A string, number or boolean as written, else null. HOCON reads {@code port = 0443} or
     * {@code user-id = 007} as numbers; going through the value's own rendering keeps the text.
     */
    public static String scalar(ConfigValue value) {
        switch (value.valueType()) {
            case STRING:
                return (String) value.unwrapped();
            case NUMBER:
            case BOOLEAN:
                return value.atKey("v").getString("v");
            default:
                return null;
        }
    }

    public static String typeName(ConfigValue value) {
        return value.valueType().name().toLowerCase(Locale.ROOT);
    }

    /** The value as an object, or null after recording that an object was expected. */
    public static ConfigObject object(ConfigValue value, String path, String expected, ConfigProblems problems) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            problems.add(value, path, "expected " + expected + ", got " + typeName(value));
            return null;
        }
        return (ConfigObject) value;
    }

    /** Records each key of {@code object} that is not one of {@code allowed}. */
    public static void checkKeys(ConfigObject object, String path, Set<String> allowed, ConfigProblems problems) {
        for (String key : object.keySet()) {
            if (!allowed.contains(key)) {
                problems.add(object.get(key), path(path, key), "unknown key; expected only " + new TreeSet<>(allowed));
            }
        }
    }

    /**
     * A non-empty string (or number) without surrounding blanks, or null after recording
     * {@code expected}. A missing value is recorded against {@code owner}.
     */
    public static String requiredText(ConfigObject owner, String key, String path, String expected, ConfigProblems problems) {
        ConfigValue value = owner.get(key);
        String keyPath = path(path, key);
        if (value == null) {
            problems.add(owner, keyPath, "missing; expected " + expected);
            return null;
        }
        return text(value, keyPath, expected, problems);
    }

    /** Like {@link #requiredText} for a value that is present. */
    public static String text(ConfigValue value, String path, String expected, ConfigProblems problems) {
        String text = scalar(value);
        if (text == null || text.isBlank()) {
            problems.add(value, path, "expected " + expected + ", got "
                    + (text == null ? typeName(value) : "an empty string"));
            return null;
        }
        return text.strip();
    }

    /**
     * A list of non-empty scalars, or a single scalar taken as a one-element list; null after
     * recording what was wrong. An empty list is refused: it could never match.
     */
    public static List<String> texts(ConfigValue value, String path, String expected, ConfigProblems problems) {
        if (value.valueType() != ConfigValueType.LIST) {
            String single = text(value, path, expected + " (or a list of them)", problems);
            return single == null ? null : List.of(single);
        }
        ConfigList list = (ConfigList) value;
        if (list.isEmpty()) {
            problems.add(value, path, "empty; expected at least one " + expected);
            return null;
        }
        List<String> texts = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            String text = text(list.get(i), path(path, i), expected, problems);
            ok &= text != null;
            texts.add(text);
        }
        return ok ? texts : null;
    }
}
