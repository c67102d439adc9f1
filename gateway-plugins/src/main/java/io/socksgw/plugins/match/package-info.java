/**
 * The request matchers behind the {@code match { ... }} blocks of the {@code rules} router and the
 * {@code acl} access policy: destination (names, wildcards, domains, addresses, networks), port and
 * port ranges, client network, user, group, command and listener; with the strict configuration
 * reading they are built with.
 *
 * <p>Destinations are compared in one {@link io.socksgw.plugins.match.NormalizedHost normalized}
 * form, so that no spelling of an address ({@code 127.1}, {@code 0x7f000001}, {@code ::ffff:127.0.0.1})
 * passes for a name and no spelling of a name ({@code LOCALHOST.}) escapes its rule. Nothing here
 * does I/O or DNS.
 */
package io.socksgw.plugins.match;
