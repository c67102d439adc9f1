package io.socksgw.core.testing;

import com.typesafe.config.Config;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.DnsPolicy;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.HopCredentials;
import io.socksgw.api.route.HopTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chains for the {@code test-chains} router, from config:
 * <pre>
 * { plugin = test-chains, chains = [ { name = c1, dns = remote, hops = [
 *     { protocol = socks5, host = "127.0.0.1", port = 1081, username = u, password = p }
 *     { protocol = socks4a, host = "127.0.0.1", port = 1082, user-id = x }
 *     { protocol = socks5, host = "127.0.0.1", port = 1083, credentials = pass-through } ] } ] }
 * </pre>
 * A hop with {@code tls { trust-certificates, certificate, private-key, server-name }} (all optional,
 * absolute paths) is a {@code socks5+tls} hop.
 */
public final class TestChains {

    private TestChains() {}

    static List<Chain> parse(Config config) {
        List<Chain> chains = new ArrayList<>();
        for (Config chain : config.getConfigList("chains")) {
            List<Hop> hops = new ArrayList<>();
            int i = 0;
            for (Config hop : chain.getConfigList("hops")) {
                hops.add(new Hop("hop" + (++i), SocksVersion.valueOf(hop.getString("protocol").toUpperCase(Locale.ROOT)),
                        hop.getString("host"), hop.getInt("port"), credentials(hop), tls(hop)));
            }
            DnsPolicy dns = chain.hasPath("dns") ? DnsPolicy.valueOf(chain.getString("dns").toUpperCase(Locale.ROOT))
                    : DnsPolicy.REMOTE;
            chains.add(new Chain(chain.getString("name"), hops, dns));
        }
        return chains;
    }

    private static HopTls tls(Config hop) {
        if (!hop.hasPath("tls")) {
            return null;
        }
        Config tls = hop.getConfig("tls");
        return new HopTls(pem(tls, "trust-certificates"), pem(tls, "certificate"), pem(tls, "private-key"),
                tls.hasPath("server-name") ? tls.getString("server-name") : null);
    }

    private static String pem(Config tls, String key) {
        try {
            return tls.hasPath(key) ? Files.readString(Path.of(tls.getString(key))) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HopCredentials credentials(Config hop) {
        if (hop.hasPath("credentials") && hop.getString("credentials").equals("pass-through")) {
            return HopCredentials.PASS_THROUGH;
        }
        if (hop.hasPath("username")) {
            return new HopCredentials.UsernamePassword(hop.getString("username"), hop.getString("password"));
        }
        if (hop.hasPath("user-id")) {
            return new HopCredentials.UserId(hop.getString("user-id"));
        }
        return HopCredentials.NONE;
    }

    /** A HOCON hop entry. */
    public static String hop(String protocol, int port, String extra) {
        return "{ protocol = " + protocol + ", host = \"127.0.0.1\", port = " + port + (extra.isEmpty() ? "" : ", " + extra) + " }";
    }

    /** A HOCON router entry for one chain of the given hop entries. */
    public static String router(String dns, String... hops) {
        return "routers = [ { plugin = test-chains, chains = [ { name = c1, dns = " + dns + ", hops = [ "
                + String.join(", ", hops) + " ] } ] } ]";
    }
}
