package io.socksgw.core.cli;

import java.io.PrintStream;

/** {@code version}: the gateway's version and the Java it runs on. */
final class VersionCommand implements SubCommand {

    @Override
    public String summary() {
        return "print the version";
    }

    @Override
    public int run(Arguments arguments, PrintStream out, PrintStream err) {
        arguments.allow();
        out.println("socksgw " + version() + " (Java " + Runtime.version() + ")");
        return 0;
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
