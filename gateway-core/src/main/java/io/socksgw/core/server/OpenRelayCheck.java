package io.socksgw.core.server;

import io.netty.util.NetUtil;
import io.socksgw.core.config.LoopbackHosts;
import io.socksgw.core.config.ConfigProblem;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.GatewayConfig.ListenerConfig;
import io.socksgw.core.config.GatewayConfig.ProxyProtocol;
import io.socksgw.core.config.InvalidConfigException;
import io.socksgw.core.plugin.AuthenticationChain;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safe default at start-up: a listener reachable from other machines must not serve clients
 * that present no credentials, or the gateway is an open relay for anyone who finds the port. Runs
 * once the authenticators exist (they say what they accept), before anything binds. A listener behind
 * a load balancer ({@code proxy-protocol = required}) counts as reachable whatever it binds: its
 * clients are whoever reaches the balancer. A TLS listener with {@code client-ca} is not open whatever
 * the authenticators: only clients holding a certificate from that authority get past its handshake.
 */
public final class OpenRelayCheck {

    /** The setting that lets an operator who guards the port some other way run it anyway. */
    public static final String OVERRIDE = "socksgw.security.allow-open-relay";

    private static final Logger log = LoggerFactory.getLogger(OpenRelayCheck.class);

    private OpenRelayCheck() {}

    /**
     * @throws InvalidConfigException naming each exposed listener (path {@code socksgw.listeners.N.host}, or
     *     {@code .proxy-protocol} for one on loopback behind a load balancer), its address and the override, unless the override is set (then each is logged at WARN)
     */
    public static void verify(GatewayConfig config, AuthenticationChain authentication) {
        List<String> open = authentication.acceptingWithoutCredentials();
        if (open.isEmpty()) {
            return;
        }
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < config.listeners().size(); i++) {
            ListenerConfig listener = config.listeners().get(i);
            boolean loopback = isLoopback(listener.host());
            // Behind a load balancer the clients are whoever reaches the balancer, whatever this listener binds.
            boolean behindProxy = listener.proxyProtocol() == ProxyProtocol.REQUIRED;
            if (loopback && !behindProxy) {
                continue;
            }
            // Only holders of a certificate from the listener's client-ca get past TLS: that is the credential.
            if (listener.tls() != null && listener.tls().requiresClientCertificate()) {
                continue;
            }
            String exposure = "listener '" + listener.name() + "' binds " + listener.host()
                    + (loopback ? " but takes its clients from a load balancer (proxy-protocol = required), so it is"
                            + " as reachable as the balancer"
                            : (isWildcard(listener.host()) ? " (every address of this host)" : "")
                            + ", which is not a loopback address")
                    + ", while authenticator(s) " + quoted(open)
                    + " can let clients in without credentials (SOCKS5 method none or a SOCKS4 user id)";
            if (config.security().allowOpenRelay()) {
                log.warn("{}: an open relay, allowed by {} = true", exposure, OVERRIDE);
                continue;
            }
            String remedy = loopback
                    ? " Require authentication (and no SOCKS4), or set " + OVERRIDE + " = true if the balancer admits"
                            + " only clients you trust"
                    : " Require authentication (and no SOCKS4), bind 127.0.0.1, or set " + OVERRIDE + " = true";
            problems.add(new ConfigProblem("socksgw.listeners." + i + (loopback ? ".proxy-protocol" : ".host"),
                    exposure + ": anyone who reaches it can relay through this host." + remedy, ""));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /** Whether {@code host} is only reachable from this machine; see {@link LoopbackHosts}. */
    static boolean isLoopback(String host) {
        return LoopbackHosts.isLoopback(host);
    }

    private static boolean isWildcard(String host) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(stripBrackets(host.strip()));
        if (bytes == null) {
            return false;
        }
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
    }
}
