package io.socksgw.plugins.rules;

/**
 * Where a rule (or the default) sends a request, as configured: {@code direct}, {@code reject}, or
 * the name of a chain or a group (already checked to exist).
 *
 * @param kind which of the four
 * @param name the chain's or group's name; {@code direct} or {@code reject} for those kinds
 */
record Via(Kind kind, String name) {

    static final String DIRECT_NAME = "direct";
    static final String REJECT_NAME = "reject";

    static final Via DIRECT = new Via(Kind.DIRECT, DIRECT_NAME);
    static final Via REJECT = new Via(Kind.REJECT, REJECT_NAME);

    enum Kind {
        DIRECT,
        REJECT,
        CHAIN,
        GROUP
    }
}
