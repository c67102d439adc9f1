package io.socksgw.plugins.match;

import io.socksgw.api.Command;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;

/** {@code command = [CONNECT]}: the SOCKS command is one of CONNECT, BIND, UDP_ASSOCIATE (any case). */
final class CommandMatcher implements RequestMatcher {

    private final EnumSet<Command> commands;

    private CommandMatcher(EnumSet<Command> commands) {
        this.commands = commands;
    }

    /**
     * Builds the matcher from command names, case-insensitive; {@code udp-associate} is accepted for
     * {@code UDP_ASSOCIATE}.
     *
     * @throws IllegalArgumentException naming the first unknown command
     */
    static CommandMatcher of(Collection<String> names) {
        EnumSet<Command> commands = EnumSet.noneOf(Command.class);
        for (String name : names) {
            try {
                commands.add(Command.valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expected CONNECT, BIND or UDP_ASSOCIATE, got '" + name + "'", e);
            }
        }
        return new CommandMatcher(commands);
    }

    @Override
    public boolean matches(MatchInput input) {
        return commands.contains(input.command());
    }

    @Override
    public String explain(MatchInput input) {
        return "command " + input.command();
    }
}
