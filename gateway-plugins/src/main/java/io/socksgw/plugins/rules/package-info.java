/**
 * The {@code rules} router: ordered rules over the destination, port, client network, user, group,
 * command and listener send each request directly, to a rejection, through a chain of upstream
 * SOCKS4, SOCKS4a or SOCKS5 hops, or through a group of chains with a failover, round-robin, random
 * or least-active strategy.
 *
 * <p>Hop health is tracked passively (consecutive connect failures at a hop mark it down for a
 * cooldown; a success brings it back) and, when {@code health.probe-interval} is set, actively with
 * the gateway's hop prober. Groups try chains through down hops last; a lone chain is always tried.
 * Each change of a hop's health is logged and published as a
 * {@link io.socksgw.api.event.HopHealthChanged} event.
 *
 * <p>Routing runs before DNS: destination rules over IP networks match only destinations given as IP
 * addresses (or as names that are IP literals in any spelling, such as {@code 127.1}). Hold resolved
 * addresses to a policy with an access policy instead. The matchers are shared with the {@code acl}
 * access policy, in {@link io.socksgw.plugins.match}. The configuration
 * schema is documented in this module's {@code reference.conf}, under
 * {@code socksgw.plugin-defaults.rules}.
 */
package io.socksgw.plugins.rules;
