package io.socksgw.core.cli;

import io.socksgw.api.GatewayPlugin;
import io.socksgw.api.auth.PasswordHashFormat;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * {@code hash-password [--algorithm NAME]}: reads a password (without echo on a terminal, asked
 * twice; else one line of standard input) and prints its hash in a format a plugin offers.
 */
final class HashPasswordCommand implements SubCommand {

    @Override
    public String summary() {
        return "hash a password for the users plugin [--algorithm bcrypt|argon2id]";
    }

    @Override
    public int run(Arguments arguments, PrintStream out, PrintStream err) {
        arguments.allow("algorithm");
        Map<String, PasswordHashFormat> formats = new LinkedHashMap<>();
        for (GatewayPlugin plugin : ServiceLoader.load(GatewayPlugin.class, HashPasswordCommand.class.getClassLoader())) {
            for (PasswordHashFormat format : plugin.passwordHashFormats()) {
                formats.putIfAbsent(format.name(), format);
            }
        }
        if (formats.isEmpty()) {
            err.println("socksgw hash-password: no plugin offers a password hash format");
            return 1;
        }
        String name = arguments.get("algorithm").orElse(formats.keySet().iterator().next());
        PasswordHashFormat format = formats.get(name);
        if (format == null) {
            throw new IllegalArgumentException("unknown algorithm '" + name + "'; expected one of " + formats.keySet());
        }
        char[] password = null;
        try {
            password = readPassword(err);
            if (password.length == 0) {
                err.println("socksgw hash-password: empty password");
                return 1;
            }
            out.println(format.hash(password));
            return 0;
        } catch (IOException | IllegalStateException e) {
            err.println("socksgw hash-password: " + e.getMessage());
            return 1;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static char[] readPassword(PrintStream err) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] second = console.readPassword("Again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new IllegalStateException("the passwords differ");
            }
            Arrays.fill(second, '\0');
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw new IllegalStateException("no password on standard input");
        }
        return line.toCharArray();
    }
}
