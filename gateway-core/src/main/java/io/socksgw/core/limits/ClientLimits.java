package io.socksgw.core.limits;

import io.socksgw.core.config.GatewayConfig.AuthBan;
import io.socksgw.core.config.GatewayConfig.Limits;
import io.socksgw.core.config.GatewayConfig.Security;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one client address and one user may hold, for the whole server (it outlives a reload of the
 * session services): bans after repeated authentication failures, the new-connection rate and the
 * sessions open per address, checked at accept; the sessions open per user, checked when the user
 * authenticates. Called from every event loop at once.
 */
public final class ClientLimits {

    private static final Logger log = LoggerFactory.getLogger(ClientLimits.class);

    /** Why a new connection was closed on accept. */
    public enum Refusal {
        BANNED("banned after repeated authentication failures"),
        RATE("over limits.new-connections-per-ip-per-second"),
        SESSIONS_PER_IP("at limits.max-sessions-per-ip");

        private final String description;

        Refusal(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final AuthFailureThrottle authFailures;
    private final int rate;
    private final int burst;
    private final IpTable<TokenBucket> buckets;
    private final SessionCounter<InetAddress> perIp;
    private final SessionCounter<String> perUser;
    private final LongSupplier nanoClock;
    private final Map<Refusal, AtomicLong> refused = new EnumMap<>(Refusal.class);
    private final Map<Refusal, LogThrottle> refusalLog = new EnumMap<>(Refusal.class);
    private final AtomicLong userRefusals = new AtomicLong();
    private final LogThrottle userRefusalLog = new LogThrottle(1, 1);

    public ClientLimits(Limits limits, Security security) {
        this(limits, security, System::nanoTime);
    }

    ClientLimits(Limits limits, Security security, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.authFailures = new AuthFailureThrottle(security.authFailureDelay(), security.authBan(), limits.trackedIps(),
                nanoClock);
        this.rate = limits.newConnectionsPerIpPerSecond();
        this.burst = limits.newConnectionsPerIpBurst();
        this.buckets = new IpTable<>(rate == 0 ? 1 : limits.trackedIps());
        this.perIp = new SessionCounter<>(limits.maxSessionsPerIp());
        this.perUser = new SessionCounter<>(limits.maxSessionsPerUser());
        for (Refusal refusal : Refusal.values()) {
            refused.put(refusal, new AtomicLong());
            refusalLog.put(refusal, new LogThrottle(1, 1, nanoClock));
        }
    }

    /** No limits, no delays, no bans: for handlers tested on their own. */
    public static ClientLimits unlimited() {
        return new ClientLimits(new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, 0, 0, 0, 1, 1),
                new Security(true, Duration.ZERO, new AuthBan(0, Duration.ofSeconds(1), Duration.ofSeconds(1), List.of())));
    }

    /**
     * Decides on a connection just accepted from {@code client}. When admitted it holds one of the
     * address's session slots until {@link #release} is called for it.
     *
     * @return why it must be closed, or empty when admitted
     */
    public Optional<Refusal> admit(InetAddress client) {
        InetAddress address = canonical(client);
        Refusal refusal = null;
        if (authFailures.isBanned(address)) {
            refusal = Refusal.BANNED;
        } else if (rate > 0 && !takeToken(address)) {
            refusal = Refusal.RATE;
        } else if (!perIp.tryAcquire(address)) {
            refusal = Refusal.SESSIONS_PER_IP;
        }
        if (refusal == null) {
            return Optional.empty();
        }
        refused.get(refusal).incrementAndGet();
        long dropped = refusalLog.get(refusal).tryAcquire();
        if (dropped >= 0) {
            log.warn("closing a new connection from {}: {}{}", address.getHostAddress(), refusal.description(),
                    LogThrottle.droppedNote(dropped));
        }
        return Optional.of(refusal);
    }

    /** The connection admitted from {@code client} closed. */
    public void release(InetAddress client) {
        perIp.release(canonical(client));
    }

    /**
     * Records a failed authentication from {@code client}.
     *
     * @param user the name presented ("-" when none); never a password
     * @return how long to wait before sending the failure reply
     */
    public Duration authenticationFailed(InetAddress client, String user, String reason) {
        return authFailures.failed(canonical(client), user, reason);
    }

    /** Takes a session slot for the authenticated {@code user}; false when the user is at its limit. */
    public boolean acquireUser(String user) {
        if (perUser.tryAcquire(user)) {
            return true;
        }
        userRefusals.incrementAndGet();
        long dropped = userRefusalLog.tryAcquire();
        if (dropped >= 0) {
            log.warn("refusing a session of user '{}': at limits.max-sessions-per-user = {}{}",
                    AuthFailureThrottle.printable(user), perUser.max(), LogThrottle.droppedNote(dropped));
        }
        return false;
    }

    /** Gives back a slot taken by {@link #acquireUser}. */
    public void releaseUser(String user) {
        perUser.release(user);
    }

    /** {@code limits.max-sessions-per-user} (0: unlimited). */
    public int maxSessionsPerUser() {
        return perUser.max();
    }

    /** Sessions open now from {@code client}, as counted for its limit (0 when the limit is off). */
    public int sessionsFrom(InetAddress client) {
        return perIp.count(canonical(client));
    }

    /** Sessions of {@code user} open now, as counted for its limit (0 when the limit is off). */
    public int sessionsOf(String user) {
        return perUser.count(user);
    }

    /** The counters so far. */
    public LimitCounters counters() {
        return new LimitCounters(authFailures.failures(), authFailures.bans(),
                refused.get(Refusal.BANNED).get(), refused.get(Refusal.RATE).get(),
                refused.get(Refusal.SESSIONS_PER_IP).get(), userRefusals.get());
    }

    private boolean takeToken(InetAddress address) {
        long now = nanoClock.getAsLong();
        return buckets.update(address, () -> new TokenBucket(rate, burst, now), bucket -> bucket.tryTake(now));
    }

    /** The same client on a dual-stack socket may appear as ::ffff:a.b.c.d: key it by its IPv4 address. */
    static InetAddress canonical(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return address;
                }
            }
            if (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }
}
