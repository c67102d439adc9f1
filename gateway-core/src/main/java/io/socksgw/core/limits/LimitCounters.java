package io.socksgw.core.limits;

/**
 * Counts of what the client limits did since start-up.
 *
 * @param authFailures failed authentications (exempt addresses included)
 * @param bans addresses banned
 * @param bannedConnections connections closed on accept because their address was banned
 * @param rateLimitedConnections connections closed on accept over the per-address rate
 * @param perIpRefusals connections closed on accept over {@code limits.max-sessions-per-ip}
 * @param perUserRefusals authentications refused over {@code limits.max-sessions-per-user}
 */
public record LimitCounters(long authFailures, long bans, long bannedConnections, long rateLimitedConnections,
        long perIpRefusals, long perUserRefusals) {}
