package io.socksgw.bench.jmh;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.socksgw.api.ClientInfo;
import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.Route;
import io.socksgw.api.route.RouteRequest;
import io.socksgw.api.route.Router;
import io.socksgw.plugins.rules.RulesRouterFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code RuleBasedRouter.route} on a configuration of 20 rules (destinations exact, {@code *.suffix},
 * {@code .suffix}, CIDR; ports; client networks; users and groups; commands), built by the real
 * factory from HOCON, for requests that stop at the first rule, in the middle, at the last, or fall
 * through to the default after trying all 20.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RulesRouterBenchmark {

    static final String RULES = """
            upstreams {
              a { protocol = socks5, host = "127.0.0.1", port = 1081 }
              b { protocol = socks4a, host = "127.0.0.1", port = 1082 }
            }
            chains { via-a { hops = [a] }, via-ab { hops = [b, a] } }
            groups { pool { chains = [via-a, via-ab], strategy = round-robin } }
            rules = [
              { name = r01, match { destination = ["first.example.com"] }, via = via-a }
              { name = r02, match { port = ["25", "465", "587"] }, via = reject }
              { name = r03, match { destination = ["*.corp.example"], port = ["443"] }, via = via-ab }
              { name = r04, match { destination = [".intranet.example"] }, via = via-a }
              { name = r05, match { destination = ["10.0.0.0/8", "172.16.0.0/12"] }, via = via-a }
              { name = r06, match { client = ["192.168.50.0/24"] }, via = pool }
              { name = r07, match { user = [alice, bob, carol] }, via = via-a }
              { name = r08, match { group = [staff] }, via = pool }
              { name = r09, match { command = [BIND] }, via = reject }
              { name = r10, match { destination = ["*.cdn.example", "*.static.example"], port = ["80", "443"] }, via = direct }
              { name = r11, match { destination = ["fd00::/8"] }, via = via-a }
              { name = r12, match { port = ["8000-8100"] }, via = via-ab }
              { name = r13, match { destination = ["api.partner.example", "sftp.partner.example"] }, via = via-a }
              { name = r14, match { client = ["10.10.0.0/16"], destination = [".eu.example"] }, via = pool }
              { name = r15, match { destination = ["203.0.113.0/24"] }, via = reject }
              { name = r16, match { destination = ["*.mid.example"] }, via = via-ab }
              { name = r17, match { listener = [admin] }, via = direct }
              { name = r18, match { destination = [".ads.example", ".tracker.example"] }, via = reject }
              { name = r19, match { port = ["22"], client = ["192.0.2.0/24"] }, via = via-a }
              { name = r20, match { destination = ["*.last.example"] }, via = pool }
            ]
            default = direct
            health { failure-threshold = 3, cooldown = 30s, probe-interval = 0s }
            """;

    /** Which rule the request meets: r01, r16 (a suffix, 16th), r20 (last), r05 (an address in a CIDR), or none. */
    @Param({"first", "suffix-16th", "last", "cidr-5th", "default"})
    public String request;

    private BenchPluginContext context;
    private Router router;
    private RouteRequest routeRequest;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        context = new BenchPluginContext();
        Config config = ConfigFactory.parseString(RULES)
                .withFallback(ConfigFactory.defaultReference().getConfig("socksgw.plugin-defaults.rules")).resolve();
        router = new RulesRouterFactory().create(config, context);
        routeRequest = switch (request) {
            case "first" -> request(Destination.ofDomain("first.example.com", 443));
            case "suffix-16th" -> request(Destination.ofDomain("www.mid.example", 443));
            case "last" -> request(Destination.ofDomain("img.last.example", 443));
            case "cidr-5th" -> request(Destination.of(ip("10.1.2.3"), 443));
            case "default" -> request(Destination.ofDomain("www.example.org", 443));
            default -> throw new IllegalArgumentException(request);
        };
        // A wrong configuration or request would make the numbers meaningless: check where it goes.
        Route route = router.route(routeRequest).toCompletableFuture().get();
        if (route == null) {
            throw new IllegalStateException("no route");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (router instanceof AutoCloseable closeable) {
            closeable.close();
        }
        context.close();
    }

    @Benchmark
    public Object route() {
        return router.route(routeRequest);
    }

    private static RouteRequest request(Destination destination) throws UnknownHostException {
        ClientInfo client = new ClientInfo(new InetSocketAddress(ip("198.51.100.20"), 40000),
                new InetSocketAddress(ip("127.0.0.1"), 1080), "socks");
        Principal principal = new Principal("dave", Set.of("contractors"), Map.of());
        return new RouteRequest(client, principal, SocksRequest.of(SocksVersion.SOCKS5, Command.CONNECT, destination));
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal); // literals only: no lookup
    }
}
