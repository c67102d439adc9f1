/**
 * The {@code acl} access policy: ordered allow and deny rules over the client network, user, group,
 * command, destination (names, wildcards, domains, addresses, networks), port ranges and listener;
 * the first rule that matches decides, then a built-in guard of special destinations (loopback,
 * link-local and the cloud metadata address, private networks, ...), then a configurable default.
 *
 * <p>Destinations are checked twice: on the request as the client sent it, and again on the exact
 * address the gateway resolved and is about to connect to, so a name that resolves into a denied
 * network is refused. Every spelling of an address ({@code 127.1}, {@code 2130706433},
 * {@code ::ffff:127.0.0.1}) is normalized before matching. The configuration schema is documented in
 * this module's {@code reference.conf}, under {@code socksgw.plugin-defaults.acl}.
 */
package io.socksgw.plugins.acl;
