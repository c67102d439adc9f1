package com.example.socksgw.httpauth;

import io.socksgw.api.Principal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Accepted logins for a while, so a client opening many connections does not cost one HTTP request
 * each. Bounded (least recently used go first) and timed. Keys hold the user name and a SHA-256
 * digest of the password, keyed with a random secret of this instance (HMAC), never the password:
 * a memory dump shows no passwords, and no digest that a precomputed table could reverse.
 */
final class LoginCache {

    /** A cache key; {@link #toString()} shows nothing secret anyway. */
    record Key(String username, String passwordDigest) {}

    private record Entry(Principal principal, Instant expires) {}

    private final Duration ttl;
    private final byte[] secret = new byte[32];
    private final Map<Key, Entry> entries;

    LoginCache(Duration ttl, int maxSize) {
        this.ttl = ttl;
        new SecureRandom().nextBytes(secret);
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > maxSize;
            }
        };
    }

    Key key(String username, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return new Key(username, HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    /** The principal of a login accepted less than the TTL ago. */
    synchronized Optional<Principal> get(Key key, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!now.isBefore(entry.expires())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.principal());
    }

    synchronized void put(Key key, Principal principal, Instant now) {
        entries.put(key, new Entry(principal, now.plus(ttl)));
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized void clear() {
        entries.clear();
    }
}
