package io.socksgw.core.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code socksgw <command> [options]}: the command-line entry. Each command is a class of its own;
 * this only dispatches and turns the result into an exit code.
 */
public final class Main {

    /** Exit code for a bad command line or a bad configuration. */
    public static final int USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != RunCommand.KEEP_RUNNING) {
            System.exit(code);
        }
    }

    /** Runs a command; returns its exit code ({@link RunCommand#KEEP_RUNNING} when a server now runs). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, SubCommand> commands = new LinkedHashMap<>();
        commands.put("run", new RunCommand());
        commands.put("check-config", new CheckConfigCommand());
        commands.put("explain", new ExplainCommand());
        commands.put("hash-password", new HashPasswordCommand());
        commands.put("version", new VersionCommand());
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            usage(commands, args.length == 0 ? err : out);
            return args.length == 0 ? USAGE : 0;
        }
        SubCommand command = commands.get(args[0]);
        if (command == null) {
            err.println("socksgw: unknown command '" + args[0] + "'");
            usage(commands, err);
            return USAGE;
        }
        try {
            return command.run(Arguments.parse(Arrays.copyOfRange(args, 1, args.length)), out, err);
        } catch (IllegalArgumentException e) {
            err.println("socksgw " + args[0] + ": " + e.getMessage());
            return USAGE;
        }
    }

    private static void usage(Map<String, SubCommand> commands, PrintStream out) {
        out.println("usage: socksgw <command> [options]");
        commands.forEach((name, command) -> out.printf("  %-14s %s%n", name, command.summary()));
    }
}
