package io.socksgw.core.cli;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessRequest;
import io.socksgw.api.access.Decision;
import io.socksgw.api.route.Chain;
import io.socksgw.api.route.Hop;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.RouteRequest;
import io.socksgw.core.config.ConfigLoader;
import io.socksgw.core.config.GatewayConfig;
import io.socksgw.core.config.InvalidConfigException;
import io.socksgw.core.plugin.InstalledPlugins;
import io.socksgw.core.plugin.PluginLoadException;
import io.socksgw.core.plugin.RoutingChain.Routing;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code explain}: what the gateway would do with a hypothetical request, stage by stage, without
 * opening a connection. It asks the configured access policies and routers themselves (the chains
 * the server runs), so what it prints is what the server would decide.
 */
final class ExplainCommand implements SubCommand {

    @Override
    public String summary() {
        return "show how a request would be decided [--config FILE] [--plugins DIR] --destination HOST:PORT [--client IP:PORT]"
                + " [--user NAME] [--groups A,B] [--command CONNECT|BIND|UDP_ASSOCIATE] [--listener NAME] [--version 4|4a|5]";
    }

    @Override
    public int run(Arguments arguments, PrintStream out, PrintStream err) {
        arguments.allow("config", PluginsOption.NAME, "destination", "client", "user", "groups", "command", "listener", "version");
        Optional<Path> file = ConfigFileOption.resolve(arguments);
        InstalledPlugins installed;
        try {
            installed = InstalledPlugins.load(ExplainCommand.class.getClassLoader(), PluginsOption.resolve(arguments));
        } catch (PluginLoadException e) {
            err.println("socksgw explain: cannot load plugins: " + e.getMessage());
            return Main.USAGE;
        }
        try (installed) {
            return explain(arguments, file, installed, out, err);
        }
    }

    private static int explain(Arguments arguments, Optional<Path> file, InstalledPlugins installed, PrintStream out,
            PrintStream err) {
        GatewayConfig config;
        try {
            config = new ConfigLoader(installed.configClassLoader()).load(file);
        } catch (InvalidConfigException e) {
            err.println("socksgw explain: invalid configuration:");
            e.problems().forEach(p -> err.println("  - " + p));
            return Main.USAGE;
        }
        String listener = arguments.get("listener").orElse(config.listeners().get(0).name());
        ClientInfo client = new ClientInfo(socketAddress(arguments.get("client").orElse("127.0.0.1:40000"), "--client"),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 1080), listener);
        Principal principal = principal(arguments);
        SocksRequest request = new SocksRequest(version(arguments), command(arguments),
                destination(arguments.get("destination").orElseThrow(
                        () -> new IllegalArgumentException("--destination HOST:PORT is required"))), Optional.empty());

        try (OfflinePlugins plugins = new OfflinePlugins(config, installed.catalog())) {
            out.println("request:  " + request.version() + " " + request.command() + " " + request.destination()
                    + " from " + client.remoteAddress().getAddress().getHostAddress() + ":" + client.remoteAddress().getPort()
                    + " on listener '" + listener + "' as " + describe(principal));
            Decision decision = plugins.runtime().access()
                    .check(new AccessRequest(AccessPhase.REQUEST, client, principal, request, Optional.empty()))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            out.println("access:   " + decision.verdict() + " by rule '" + decision.rule() + "' (" + decision.reason() + ")");
            if (decision.verdict() != Decision.Verdict.ALLOW) {
                out.println("result:   refused (SOCKS5 reply 0x02, SOCKS4 0x5b)");
                return 0;
            }
            Routing routing = plugins.runtime().routing().route(new RouteRequest(client, principal, request))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            Route route = routing.route();
            out.println("route:    " + route.kind() + " by rule '" + route.rule() + "' (" + route.reason() + ")");
            if (route.kind() != Route.Kind.CONNECT) {
                out.println("result:   refused (SOCKS5 reply 0x02, SOCKS4 0x5b)");
                return 0;
            }
            out.println("try, in order (health as at start-up: no hop marked down yet):");
            int i = 0;
            for (Chain chain : route.candidates()) {
                out.println("  " + (++i) + ". " + describe(chain, request));
            }
            return 0;
        } catch (InvalidConfigException e) {
            err.println("socksgw explain: invalid configuration:");
            e.problems().forEach(p -> err.println("  - " + p));
            return Main.USAGE;
        } catch (Exception e) {
            err.println("socksgw explain: " + e.getMessage());
            return 1;
        }
    }

    private static String describe(Chain chain, SocksRequest request) {
        if (chain.isDirect()) {
            return "direct" + (request.destination().isDomain() ? " (the gateway resolves " + request.destination().host() + ")" : "");
        }
        StringBuilder text = new StringBuilder(chain.name()).append(": ");
        for (Hop hop : chain.hops()) {
            text.append(hop).append(" -> ");
        }
        text.append(request.destination());
        if (request.destination().isDomain()) {
            text.append(chain.dnsPolicy() == io.socksgw.api.route.DnsPolicy.REMOTE
                    ? (chain.hops().get(chain.hops().size() - 1).acceptsDomains()
                            ? " (name resolved by the last hop)"
                            : " (fails: the last hop speaks SOCKS4 and cannot take a name; set dns = local)")
                    : " (name resolved by the gateway)");
        }
        return text.toString();
    }

    private static String describe(Principal principal) {
        return principal.isAnonymous() ? "anonymous" : principal.name() + (principal.groups().isEmpty() ? "" : " " + principal.groups());
    }

    private static Principal principal(Arguments arguments) {
        Optional<String> user = arguments.get("user");
        Set<String> groups = new LinkedHashSet<>();
        arguments.get("groups").ifPresent(g -> Arrays.stream(g.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).forEach(groups::add));
        if (user.isEmpty() && groups.isEmpty()) {
            return Principal.ANONYMOUS;
        }
        return new Principal(user.orElse(Principal.ANONYMOUS_NAME), groups, Map.of());
    }

    private static SocksVersion version(Arguments arguments) {
        return switch (arguments.get("version").orElse("5").toLowerCase(Locale.ROOT)) {
            case "5" -> SocksVersion.SOCKS5;
            case "4" -> SocksVersion.SOCKS4;
            case "4a" -> SocksVersion.SOCKS4A;
            default -> throw new IllegalArgumentException("--version takes 4, 4a or 5");
        };
    }

    private static Command command(Arguments arguments) {
        String raw = arguments.get("command").orElse("CONNECT").toUpperCase(Locale.ROOT).replace(' ', '_');
        try {
            return Command.valueOf(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--command takes CONNECT, BIND or UDP_ASSOCIATE");
        }
    }

    /** HOST:PORT or [IPv6]:PORT; an IP literal is an IP destination, anything else a domain (never resolved). */
    static Destination destination(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("--destination must be HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = port(text.substring(colon + 1), "--destination");
        InetAddress literal = io.netty.util.NetUtil.createInetAddressFromIpAddressString(host);
        return literal != null ? Destination.of(literal, port) : Destination.ofDomain(host, port);
    }

    private static InetSocketAddress socketAddress(String text, String option) {
        Destination parsed = destination(text);
        if (parsed.isDomain()) {
            throw new IllegalArgumentException(option + " must be an IP address and port, got '" + text + "'");
        }
        return new InetSocketAddress(parsed.address(), parsed.port());
    }

    private static int port(String text, String option) {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": bad port '" + text + "'");
        }
    }
}
