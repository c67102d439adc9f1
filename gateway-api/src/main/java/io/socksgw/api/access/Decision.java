package io.socksgw.api.access;

import java.util.Objects;

/**
 * An {@link AccessPolicy}'s answer.
 *
 * @param verdict allow, deny, or no opinion
 * @param rule the name of the rule that decided, for logs and metrics (empty when abstaining)
 * @param reason a readable explanation, for logs
 */
public record Decision(Verdict verdict, String rule, String reason) {

    /** The three possible answers. */
    public enum Verdict {
        ALLOW,
        DENY,
        /** No opinion: the next policy in the chain is asked, then the configured default applies. */
        ABSTAIN
    }

    private static final Decision ABSTAINED = new Decision(Verdict.ABSTAIN, "", "");

    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
    }

    public static Decision allow(String rule) {
        return new Decision(Verdict.ALLOW, rule, "allowed by " + rule);
    }

    public static Decision deny(String rule, String reason) {
        return new Decision(Verdict.DENY, rule, reason);
    }

    public static Decision abstain() {
        return ABSTAINED;
    }

    public boolean isDecisive() {
        return verdict != Verdict.ABSTAIN;
    }
}
