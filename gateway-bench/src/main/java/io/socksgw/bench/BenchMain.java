package io.socksgw.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the load generator and its helpers:
 *
 * <pre>
 * server    --host 127.0.0.1 --sink-port P --echo-port Q [--threads N]   the sink and echo server, until killed
 * run       --sink H:P --echo H:P --target NAME[=H:P[@PID,...]] ...      the benchmarks; a markdown table on stdout
 * free-ports N                                                         N currently free loopback ports
 * jfr-top FILE [N]                                                     the top CPU frames of a JFR recording
 * </pre>
 *
 * See {@link LoadGenerator} for the options of {@code run}.
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: BenchMain server|run|free-ports ...");
            System.exit(2);
        }
        switch (args[0]) {
            case "server" -> server(new Options(args, 1));
            case "run" -> System.exit(LoadGenerator.run(new Options(args, 1)));
            case "free-ports" -> freePorts(Integer.parseInt(args[1]));
            case "jfr-top" -> JfrTop.print(java.nio.file.Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 15);
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }

    private static void server(Options options) throws InterruptedException {
        int threads = options.getInt("threads", Runtime.getRuntime().availableProcessors());
        BenchServer server = BenchServer.start(options.get("host", "127.0.0.1"), options.getInt("sink-port", 0),
                options.getInt("echo-port", 0), threads);
        System.out.printf("bench server (%s, %d threads) ready: sink=%s echo=%s%n", Net.transportName(), threads,
                server.sinkAddress(), server.echoAddress());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }

    private static void freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                System.out.println(socket.getLocalPort());
            }
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
