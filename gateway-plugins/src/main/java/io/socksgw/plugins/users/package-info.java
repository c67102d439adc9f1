/**
 * The {@code users} authenticator: SOCKS5 username/password (RFC 1929) against users listed in the
 * configuration and, optionally, in a separate users file (one {@code name:hash:groups} a line),
 * each with a bcrypt or Argon2id password hash and a set of groups.
 *
 * <p>Plain-text passwords are refused unless {@code allow-plaintext = true} (for tests; they are then
 * hashed in memory at start-up and logged as a warning); {@code bin/socksgw hash-password} prints
 * hashes. Hash verification is CPU-heavy and runs on the gateway's blocking executor, never on a
 * network thread.
 *
 * <p>SOCKS4 clients are refused by default; {@code socks4 = user-id-only} accepts a SOCKS4 user id
 * that names a user as that user, without a password, which is weak and meant for trusted networks.
 */
package io.socksgw.plugins.users;
