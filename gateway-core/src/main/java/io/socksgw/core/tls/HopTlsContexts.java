package io.socksgw.core.tls;

import io.netty.handler.ssl.SslContext;
import io.socksgw.api.route.HopTls;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * One client {@link SslContext} per distinct {@link HopTls}, built on first use and shared by every
 * connection to hops with those settings (a context holds the trust managers and the session cache;
 * building one per connection would parse the PEM text every time).
 */
public final class HopTlsContexts {

    /**
     * Settings come from router configuration, a handful per generation; a reload with rotated files
     * adds new ones. Past this many the map starts over rather than grow without bound.
     */
    private static final int MAX_CONTEXTS = 256;

    private final Map<HopTls, SslContext> contexts = new ConcurrentHashMap<>();

    /** @throws SSLException when the settings cannot make a context (bad PEM text) */
    public SslContext contextFor(HopTls tls) throws SSLException {
        SslContext context = contexts.get(tls);
        if (context != null) {
            return context;
        }
        context = TlsContexts.forHop(tls);
        if (contexts.size() >= MAX_CONTEXTS) {
            contexts.clear();
        }
        SslContext raced = contexts.putIfAbsent(tls, context);
        return raced != null ? raced : context;
    }
}
