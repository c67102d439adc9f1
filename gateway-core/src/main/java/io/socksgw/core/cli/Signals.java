package io.socksgw.core.cli;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over POSIX signals from the JVM with {@code sun.misc.Signal} (module jdk.unsupported, there
 * on every Java 17+): the handler gets the signal's name (TERM, INT, HUP) on the JVM's signal thread
 * instead of the JVM running its shutdown hooks and exiting.
 */
final class Signals {

    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /**
     * Routes each of {@code names} to {@code handler}, which must return quickly.
     *
     * @return the names now handled; one the JVM keeps for itself (as with {@code -Xrs}) or an
     *     unknown one is missing, and keeps the JVM's default (for TERM, INT and HUP: shutdown hooks, exit)
     */
    static Set<String> handle(Consumer<String> handler, String... names) {
        Set<String> handled = new LinkedHashSet<>();
        for (String name : names) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> handler.accept(name));
                handled.add(name);
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                log.debug("cannot handle SIG{}: {}", name, e.toString());
            }
        }
        return handled;
    }
}
