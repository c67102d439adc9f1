package io.socksgw.plugins.acl;

import io.socksgw.api.Command;
import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessPolicy;
import io.socksgw.api.access.AccessRequest;
import io.socksgw.api.access.Decision;
import io.socksgw.plugins.match.MatchInput;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides by ordered allow and deny rules: the first rule whose {@code match} the request meets
 * decides; then the special destinations; then the default.
 *
 * <p>Which destination the rules see depends on the phase:
 *
 * <ul>
 *   <li>{@link AccessPhase#REQUEST}: the destination as the client gave it, normalized. A name is
 *       matched by name patterns; an address, or a name that is an address in any spelling, by
 *       network patterns.
 *   <li>{@link AccessPhase#RESOLVED}: the exact address the gateway is about to connect to, so a name
 *       that resolves into a denied network is refused. Name patterns never match here.
 *   <li>{@link AccessPhase#BIND_PEER}, {@link AccessPhase#UDP_DATAGRAM}: the peer's or the datagram's
 *       address, likewise.
 * </ul>
 *
 * <p>The special destinations guard the addresses the gateway would actually reach: a CONNECT's
 * destination, a BIND peer, a UDP datagram's destination. A BIND or UDP ASSOCIATE request itself
 * names no such address (its DST is the expected peer or the client's own sending address, often
 * {@code 0.0.0.0:0}), so the guard waits for the BIND_PEER and UDP_DATAGRAM phases there.
 *
 * <p>The {@code default} answers only in the phases that take a new decision (REQUEST and
 * UDP_DATAGRAM). RESOLVED and BIND_PEER re-check a request that was already allowed: when no rule
 * and no special destination objects there, the policy abstains, so that a request allowed by a name
 * rule is not refused by {@code default = deny} merely because an address never matches a name.
 *
 * <p>Pure in-memory work on the calling network thread; every stage is already complete.
 */
final class RuleBasedAccessPolicy implements AccessPolicy {

    /** The rule name of denials for a special destination. */
    static final String SPECIAL_RULE = "special-destinations";

    /** The rule name of the default's answers. */
    static final String DEFAULT_RULE = "default";

    private static final Set<AccessPhase> PHASES = EnumSet.allOf(AccessPhase.class);
    private static final CompletionStage<Decision> ABSTAINED = CompletableFuture.completedStage(Decision.abstain());

    private final AclRule[] rules;
    private final AclConfig.DefaultAction defaultAction;
    private final boolean guardSpecial;

    RuleBasedAccessPolicy(AclConfig config) {
        this.rules = config.rules().toArray(new AclRule[0]);
        this.defaultAction = config.defaultAction();
        this.guardSpecial = config.specialDestinations() == AclConfig.SpecialDestinationsMode.DENY_UNLESS_LOOPBACK_CLIENT;
    }

    @Override
    public Set<AccessPhase> phases() {
        return PHASES;
    }

    @Override
    public CompletionStage<Decision> check(AccessRequest request) {
        Decision decision = decide(request);
        return decision.isDecisive() ? CompletableFuture.completedStage(decision) : ABSTAINED;
    }

    /** The decision on one request, computed on the calling thread. */
    Decision decide(AccessRequest request) {
        MatchInput input = input(request);
        boolean guard = guardSpecial && (request.phase() != AccessPhase.REQUEST
                || request.request().command() == Command.CONNECT);
        for (AclRule rule : rules) {
            if (!rule.matcher().matches(input)) {
                continue;
            }
            String why = rule.matcher().explain(input) + " (rule " + rule.name() + ")";
            if (rule.action() == AclRule.Action.DENY) {
                return Decision.deny(rule.name(), why);
            }
            if (!rule.namesDestination()) {
                String special = guard ? specialDenial(input) : null;
                if (special != null) {
                    return Decision.deny(SPECIAL_RULE, special + "; rule " + rule.name() + " allows the request"
                            + " but names no destination, so it does not open special destinations (rule "
                            + SPECIAL_RULE + ")");
                }
            }
            return new Decision(Decision.Verdict.ALLOW, rule.name(), why);
        }
        String special = guard ? specialDenial(input) : null;
        if (special != null) {
            return Decision.deny(SPECIAL_RULE, special + " (rule " + SPECIAL_RULE + ")");
        }
        if (isFollowUp(request.phase()) || defaultAction == AclConfig.DefaultAction.ABSTAIN) {
            return Decision.abstain();
        }
        String reason = "no rule matched " + request.request().command() + " to " + input.describeDestination()
                + " port " + input.port() + " (default = " + defaultAction.configName + ")";
        return defaultAction == AclConfig.DefaultAction.ALLOW
                ? new Decision(Decision.Verdict.ALLOW, DEFAULT_RULE, reason)
                : Decision.deny(DEFAULT_RULE, reason);
    }

    /** Why the input's destination is off limits to its client, or null if it is not. */
    private static String specialDenial(MatchInput input) {
        String what = SpecialDestinations.classify(input);
        if (what == null || SpecialDestinations.isLoopbackClient(input)) {
            return null;
        }
        return "destination " + input.describeDestination() + " is " + what + ", a special destination, and client "
                + input.describeClient() + " is not on loopback";
    }

    private static MatchInput input(AccessRequest request) {
        if (request.phase() == AccessPhase.REQUEST || request.address().isEmpty()) {
            return MatchInput.of(request.client(), request.principal(), request.request());
        }
        InetSocketAddress address = request.address().get();
        return MatchInput.atAddress(request.client(), request.principal(), request.request().command(), address,
                note(request));
    }

    /** How the checked address relates to the request, for messages. */
    private static String note(AccessRequest request) {
        switch (request.phase()) {
            case RESOLVED:
                return request.request().destination().isDomain()
                        ? "resolved from " + request.request().destination().host()
                        : null;
            case BIND_PEER:
                return "the BIND peer";
            case UDP_DATAGRAM:
                return "a UDP datagram's destination";
            default:
                return null;
        }
    }

    private static boolean isFollowUp(AccessPhase phase) {
        return phase == AccessPhase.RESOLVED || phase == AccessPhase.BIND_PEER;
    }
}
