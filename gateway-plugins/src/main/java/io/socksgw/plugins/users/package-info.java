/**
 * The {@code users} authenticator: SOCKS5 username/password (RFC 1929) against a list of users in
 * the configuration, each with a bcrypt or Argon2id password hash and a set of groups.
 *
 * <p>Plain-text passwords are never stored; {@code bin/socksgw hash-password} prints hashes. Hash
 * verification is CPU-heavy and runs on the gateway's blocking executor, never on a network thread.
 */
package io.socksgw.plugins.users;
