package com.example.socksgw.httpauth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * The block of one {@code http-authenticator}, validated.
 *
 * @param url where to POST {@code {"username": ..., "password": ...}}
 * @param timeout how long to wait for the answer (connecting included)
 * @param cacheTtl how long an accepted login is remembered; zero turns the cache off
 * @param cacheSize how many accepted logins are remembered at most; zero turns the cache off
 */
record HttpAuthSettings(URI url, Duration timeout, Duration cacheTtl, int cacheSize) {

    /**
     * @throws ConfigException naming the key and what was expected
     */
    static HttpAuthSettings read(Config config) {
        if (!config.hasPath("url")) {
            throw new ConfigException.BadValue(config.origin(), "url",
                    "required: the endpoint to ask, e.g. url = \"https://auth.internal.example/socks\"");
        }
        URI url = url(config);
        Duration timeout = config.getDuration("timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ConfigException.BadValue(config.getValue("timeout").origin(), "timeout", "must be positive, e.g. 2s");
        }
        Duration cacheTtl = config.getDuration("cache-ttl");
        if (cacheTtl.isNegative()) {
            throw new ConfigException.BadValue(config.getValue("cache-ttl").origin(), "cache-ttl", "must be 0s (no cache) or more");
        }
        int cacheSize = config.getInt("cache-size");
        if (cacheSize < 0) {
            throw new ConfigException.BadValue(config.getValue("cache-size").origin(), "cache-size", "must be 0 (no cache) or more");
        }
        return new HttpAuthSettings(url, timeout, cacheTtl, cacheSize);
    }

    private static URI url(Config config) {
        String raw = config.getString("url");
        try {
            URI url = new URI(raw);
            if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme())) || url.getHost() == null) {
                throw new URISyntaxException(raw, "expected an http:// or https:// URL with a host");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new ConfigException.BadValue(config.getValue("url").origin(), "url", e.getMessage());
        }
    }

    boolean caching() {
        return cacheSize > 0 && !cacheTtl.isZero();
    }
}
