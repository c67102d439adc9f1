package io.socksgw.core.socks;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Destination;
import io.socksgw.api.Principal;
import io.socksgw.core.limits.LogText;
import io.socksgw.core.limits.LogThrottle;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per refused request, naming the rule: {@code denied <client> -> <destination> by rule
 * <name>: <reason>}. Bounded in rate (a client hammering a denied destination must not flood the
 * log); lines over the budget are counted and the next line says how many.
 */
final class DenialLog {

    private static final Logger log = LoggerFactory.getLogger(DenialLog.class);
    private static final LogThrottle BUDGET = new LogThrottle(20, 50);
    private static final int MAX_TEXT = 255;

    private DenialLog() {}

    /** An access policy denied the request. */
    static void byRule(ClientInfo client, Principal principal, Destination destination, String rule, String reason) {
        write(client, principal, destination.toString(), "rule", rule, reason);
    }

    /** An access policy denied the address {@code destination} resolved to. */
    static void resolvedByRule(ClientInfo client, Principal principal, Destination destination, InetSocketAddress resolved, String rule,
            String reason) {
        write(client, principal, destination + " (resolved " + resolved.getAddress().getHostAddress() + ")", "rule", rule, reason);
    }

    /** An access policy denied the peer that connected to a BIND. */
    static void bindPeerByRule(ClientInfo client, Principal principal, InetSocketAddress peer, String rule, String reason) {
        write(client, principal, "BIND peer " + peer.getAddress().getHostAddress() + ":" + peer.getPort(), "rule", rule,
                reason);
    }

    /** An access policy denied a destination of a UDP association's datagrams. */
    static void datagramByRule(ClientInfo client, Principal principal, Destination destination,
            java.util.Optional<InetSocketAddress> resolved, String rule, String reason) {
        String where = resolved.filter(address -> destination.isDomain())
                .map(address -> destination + " (resolved " + address.getAddress().getHostAddress() + ")")
                .orElse(destination.toString());
        write(client, principal, "UDP " + where, "rule", rule, reason);
    }

    /** The gateway's configuration ({@code bind.enabled}, {@code udp.enabled}) refused the command. */
    static void byConfiguration(ClientInfo client, Principal principal, Destination destination, String key,
            String reason) {
        write(client, principal, destination.toString(), "setting", key, reason);
    }

    /** A router rejected the request. */
    static void byRoute(ClientInfo client, Principal principal, Destination destination, String rule, String reason) {
        write(client, principal, destination.toString(), "route", rule, reason);
    }

    private static void write(ClientInfo clientInfo, Principal principal, String destination, String kind, String rule, String reason) {
        if (!log.isInfoEnabled()) {
            return;
        }
        long dropped = BUDGET.tryAcquire();
        if (dropped < 0) {
            return;
        }
        InetSocketAddress client = clientInfo.remoteAddress();
        String who = principal.isAnonymous() ? ""
                : " (user '" + LogText.printable(principal.name(), 64) + "')";
        log.info("denied {}:{}{} -> {} by {} {}: {}{}", client.getAddress().getHostAddress(), client.getPort(), who,
                LogText.printable(destination, MAX_TEXT), kind, rule, LogText.printable(reason, MAX_TEXT),
                LogThrottle.droppedNote(dropped));
    }
}
