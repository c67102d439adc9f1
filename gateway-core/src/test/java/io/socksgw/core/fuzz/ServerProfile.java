package io.socksgw.core.fuzz;

/**
 * The server configurations the properties run against: who the authenticator lets in and what the
 * policy allows, so that a model can say which inputs must reach the connector.
 */
enum ServerProfile {

    /** test-none (SOCKS5 method 0x00, every SOCKS4 user id) and test-allow. */
    NO_AUTH("", 0x00),

    /** test-users with alice/secret (SOCKS5 method 0x02; SOCKS4 user id "alice" only) and test-allow. */
    USERS("socksgw.authenticators = [ { plugin = test-users, users { alice = secret } } ]", 0x02),

    /** test-none and test-deny: everyone is let in, no request is allowed. */
    DENY_ALL("socksgw.access.policies = [ { plugin = test-deny } ]", 0x00);

    static final String USER = "alice";
    static final String PASSWORD = "secret";

    private final String hocon;
    private final int method;

    /**
     * Pinned here rather than taken from the test defaults: BIND and UDP ASSOCIATE off (the model
     * answers them 0x07 / 0x5B), and no session listener, whose queue takes 100 ms to stop at every
     * connection's end.
     */
    private static final String COMMON = """
            socksgw.bind.enabled = off
            socksgw.udp.enabled = off
            socksgw.session-listeners = []
            """;

    ServerProfile(String hocon, int method) {
        this.hocon = COMMON + hocon;
        this.method = method;
    }

    String hocon() {
        return hocon;
    }

    /** The one SOCKS5 method the server offers. */
    int method() {
        return method;
    }

    boolean acceptsLogin(String user, String password) {
        return this == USERS && USER.equals(user) && PASSWORD.equals(password);
    }

    boolean acceptsSocks4UserId(String userId) {
        return this != USERS || USER.equals(userId);
    }

    boolean allowsRequests() {
        return this != DENY_ALL;
    }
}
