package io.socksgw.plugins.match;

import java.util.Collection;
import java.util.Set;

/** {@code listener = [socks]}: the request arrived on one of these configured listeners (exact names). */
final class ListenerMatcher implements RequestMatcher {

    private final Set<String> listeners;

    ListenerMatcher(Collection<String> listeners) {
        this.listeners = Set.copyOf(listeners);
    }

    @Override
    public boolean matches(MatchInput input) {
        return listeners.contains(input.client().listener());
    }

    @Override
    public String explain(MatchInput input) {
        return "listener " + input.client().listener();
    }
}
