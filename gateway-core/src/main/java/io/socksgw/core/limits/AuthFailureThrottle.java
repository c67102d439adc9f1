package io.socksgw.core.limits;

import io.socksgw.core.config.CidrBlock;
import io.socksgw.core.config.GatewayConfig.AuthBan;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down and then shuts out password guessing, per client address: every failed authentication
 * earns a delayed reply; {@code failures} of them within {@code window} ban the address for
 * {@code duration}. Failures are counted; the log gets one line per address per window (plus one
 * per ban), with the user name but never a password.
 */
final class AuthFailureThrottle {

    private static final Logger log = LoggerFactory.getLogger(AuthFailureThrottle.class);
    private static final int MAX_LOGGED_NAME = 64;

    private final Duration delay;
    private final int banAfter;
    private final long windowNanos;
    private final long banNanos;
    private final Duration window;
    private final Duration banDuration;
    private final List<CidrBlock> exempt;
    private final IpTable<FailureRecord> records;
    private final LongSupplier nanoClock;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong bans = new AtomicLong();

    AuthFailureThrottle(Duration delay, AuthBan ban, int trackedIps, LongSupplier nanoClock) {
        this.delay = delay;
        this.banAfter = ban.failures();
        this.window = ban.window();
        this.banDuration = ban.duration();
        this.windowNanos = ban.window().toNanos();
        this.banNanos = ban.duration().toNanos();
        this.exempt = ban.exempt();
        this.records = new IpTable<>(trackedIps);
        this.nanoClock = nanoClock;
    }

    /**
     * Records a failed authentication from {@code address}.
     *
     * @param user the name the client gave ("-" when none), logged; never pass a password
     * @param reason why the authenticators refused, logged
     * @return how long to hold the failure reply
     */
    Duration failed(InetAddress address, String user, String reason) {
        failures.incrementAndGet();
        if (isExempt(address)) {
            log.debug("authentication failed from exempt address {} (user '{}'): {}", address.getHostAddress(),
                    printable(user), reason);
            return Duration.ZERO;
        }
        long now = nanoClock.getAsLong();
        Outcome outcome = records.update(address, () -> new FailureRecord(banAfter), r -> r.fail(now));
        if (outcome.logged >= 0) {
            log.warn("authentication failed from {} (user '{}'): {}; further failures from this address within {}"
                            + " are counted, not logged{}", address.getHostAddress(), printable(user), reason,
                    human(window), outcome.logged > 0 ? " (" + outcome.logged + " since the last line)" : "");
        }
        if (outcome.banned) {
            bans.incrementAndGet();
            log.warn("banning {} for {}: {} failed authentications within {}", address.getHostAddress(),
                    human(banDuration), banAfter, human(window));
        }
        return delay;
    }

    /** Whether {@code address} is banned now. */
    boolean isBanned(InetAddress address) {
        if (banAfter == 0) {
            return false;
        }
        long now = nanoClock.getAsLong();
        return records.peek(address, r -> r.banned(now), false);
    }

    long failures() {
        return failures.get();
    }

    long bans() {
        return bans.get();
    }

    /** Addresses with failure state now (bounded by {@code limits.tracked-ips}). */
    int trackedAddresses() {
        return records.size();
    }

    private boolean isExempt(InetAddress address) {
        for (CidrBlock block : exempt) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** A user name as a log may show it: control characters replaced, length capped. */
    static String printable(String name) {
        return LogText.printable(name, MAX_LOGGED_NAME);
    }

    private static String human(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /** What one failure led to: the warning to write (-1: none; else failures not logged before), a new ban. */
    private record Outcome(long logged, boolean banned) {}

    /** One address's recent failures (a ring of their times), ban and log state. */
    private final class FailureRecord {
        private final long[] times;
        private int size;
        private int next;
        private boolean banActive;
        private long bannedUntil;
        private boolean warnedOnce;
        private long lastWarned;
        private long notLogged;

        FailureRecord(int banAfter) {
            this.times = new long[Math.max(1, banAfter)];
        }

        Outcome fail(long now) {
            long logged = -1;
            if (!warnedOnce || now - lastWarned >= windowNanos) {
                logged = notLogged;
                notLogged = 0;
                warnedOnce = true;
                lastWarned = now;
            } else {
                notLogged++;
            }
            if (banAfter == 0 || banned(now)) {
                return new Outcome(logged, false);
            }
            times[next] = now;
            next = (next + 1) % times.length;
            size = Math.min(size + 1, times.length);
            // Full ring: times[next] is the oldest of the last banAfter failures.
            if (size == times.length && now - times[next] <= windowNanos) {
                banActive = true;
                bannedUntil = now + banNanos;
                size = 0;
                next = 0;
                return new Outcome(logged, true);
            }
            return new Outcome(logged, false);
        }

        boolean banned(long now) {
            if (banActive && now - bannedUntil >= 0) {
                banActive = false;
            }
            return banActive;
        }
    }
}
