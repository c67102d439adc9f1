package io.socksgw.plugins.clientcert;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.socksgw.api.PluginContext;
import io.socksgw.api.auth.Authenticator;
import io.socksgw.api.auth.AuthenticatorFactory;
import io.socksgw.plugins.match.ConfigProblems;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates the {@code client-certificate} authenticator from a block like
 *
 * <pre>
 * principal = common-name        # or dns-name, email, uri, subject
 * groups { alice = [admins, staff] }
 * socks4 = reject                # or accept: SOCKS4 clients with a certificate are that certificate's user
 * </pre>
 *
 * <p>Every problem in the block is reported at once, with its path, before the authenticator exists.
 */
public final class ClientCertificateAuthenticatorFactory implements AuthenticatorFactory {

    /** The name configuration selects this factory by. */
    public static final String NAME = "client-certificate";

    static final String PRINCIPAL = "principal";
    static final String GROUPS = "groups";
    static final String SOCKS4 = "socks4";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Authenticator create(Config config, PluginContext context) {
        ConfigProblems problems = new ConfigProblems();
        PrincipalSource source = principal(config, problems);
        Map<String, Set<String>> groups = groups(config, problems);
        boolean socks4 = socks4(config, problems);
        problems.throwIfAny();
        return new ClientCertificateAuthenticator(source, groups, socks4);
    }

    private static PrincipalSource principal(Config config, ConfigProblems problems) {
        if (!config.hasPath(PRINCIPAL)) {
            return PrincipalSource.COMMON_NAME;
        }
        ConfigValue value = config.getValue(PRINCIPAL);
        Optional<PrincipalSource> source = value.valueType() == ConfigValueType.STRING
                ? PrincipalSource.byConfigName(((String) value.unwrapped()).strip().toLowerCase(Locale.ROOT))
                : Optional.empty();
        if (source.isEmpty()) {
            problems.add(value, PRINCIPAL, "expected which part of the client certificate names the user, one of "
                    + PrincipalSource.choices() + ", got '" + value.unwrapped() + "'");
            return PrincipalSource.COMMON_NAME;
        }
        return source.get();
    }

    private static Map<String, Set<String>> groups(Config config, ConfigProblems problems) {
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        if (!config.hasPath(GROUPS)) {
            return groups;
        }
        ConfigValue value = config.getValue(GROUPS);
        if (!(value instanceof ConfigObject object)) {
            problems.add(value, GROUPS, "expected an object from user name to a list of group names,"
                    + " e.g. { alice = [admins] }, got " + value.valueType().name().toLowerCase(Locale.ROOT));
            return groups;
        }
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String path = GROUPS + ".\"" + entry.getKey() + "\"";
            ConfigValue list = entry.getValue();
            if (list.valueType() != ConfigValueType.LIST) {
                problems.add(list, path, "expected a list of group names, got "
                        + list.valueType().name().toLowerCase(Locale.ROOT));
                continue;
            }
            Set<String> names = new LinkedHashSet<>();
            for (Object item : (java.util.List<?>) list.unwrapped()) {
                if (!(item instanceof String group) || group.isBlank()) {
                    problems.add(list, path, "expected non-empty group names, got '" + item + "'");
                    continue;
                }
                names.add(group);
            }
            groups.put(entry.getKey(), names);
        }
        return groups;
    }

    private static boolean socks4(Config config, ConfigProblems problems) {
        if (!config.hasPath(SOCKS4)) {
            return false;
        }
        ConfigValue value = config.getValue(SOCKS4);
        Object raw = value.unwrapped();
        String text = raw instanceof String string ? string.strip().toLowerCase(Locale.ROOT) : "";
        switch (text) {
            case "reject" -> {
                return false;
            }
            case "accept" -> {
                return true;
            }
            default -> {
                problems.add(value, SOCKS4, "expected reject (SOCKS4 clients are not offered to this authenticator) or"
                        + " accept (a SOCKS4 client with a verified certificate is that certificate's user), got '"
                        + raw + "'");
                return false;
            }
        }
    }
}
