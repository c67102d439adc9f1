package io.socksgw.plugins.users;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.util.Locale;

/**
 * {@code socks4}: what the {@code users} authenticator makes of SOCKS4 user ids, which come without
 * a password.
 */
enum Socks4Mode {

    /** SOCKS4 clients are not offered to this authenticator at all (it does not accept SOCKS4). */
    REJECT("reject"),

    /**
     * A SOCKS4 user id that names a configured user is accepted as that user, without any password.
     * Weak: anyone who knows or guesses a user name is that user. Only for trusted networks.
     */
    USER_ID_ONLY("user-id-only");

    final String configName;

    Socks4Mode(String configName) {
        this.configName = configName;
    }

    /**
     * The mode a plugin block sets, {@link #REJECT} when it sets none.
     *
     * @throws ConfigException.BadValue for anything but reject or user-id-only
     */
    static Socks4Mode fromConfig(Config config) {
        if (!config.hasPath(UserDirectory.SOCKS4)) {
            return REJECT;
        }
        ConfigValue value = config.getValue(UserDirectory.SOCKS4);
        Object raw = value.unwrapped();
        String text = raw instanceof String string ? string.strip().toLowerCase(Locale.ROOT) : null;
        for (Socks4Mode mode : values()) {
            if (mode.configName.equals(text)) {
                return mode;
            }
        }
        throw new ConfigException.BadValue(value.origin(), UserDirectory.SOCKS4,
                "expected reject (SOCKS4 clients are not accepted) or user-id-only (a SOCKS4 user id naming a user is"
                        + " accepted as that user, without a password), got '" + raw + "'");
    }
}
