package com.example.socksgw.httpauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An authentication service on 127.0.0.1 (the JDK's own HTTP server): records each request and
 * answers as the test's {@link Answerer} says.
 */
final class FakeAuthService implements AutoCloseable {

    /** What the service answers to one request. */
    interface Answerer {
        Answer answer(Request request) throws Exception;
    }

    record Answer(int status, String body) {
        static Answer allow(String... groups) {
            return new Answer(200, "{\"allow\": true, \"groups\": [" + String.join(", ",
                    java.util.Arrays.stream(groups).map(g -> "\"" + g + "\"").toList()) + "]}");
        }

        static Answer deny() {
            return new Answer(200, "{\"allow\": false}");
        }
    }

    /** One request as received: method, content type and the parsed JSON body. */
    record Request(String method, String contentType, Map<?, ?> body) {
        String username() {
            return (String) body.get("username");
        }

        String password() {
            return (String) body.get("password");
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Answerer answerer;

    private FakeAuthService(Answerer answerer) throws IOException {
        this.answerer = answerer;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/auth", this::handle);
        server.start();
    }

    static FakeAuthService start(Answerer answerer) throws IOException {
        return new FakeAuthService(answerer);
    }

    /** Accepts {@code user} with {@code password} (in the given groups); denies everything else. */
    static FakeAuthService accepting(String user, String password, String... groups) throws IOException {
        return start(request -> user.equals(request.username()) && password.equals(request.password())
                ? Answer.allow(groups) : Answer.deny());
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/auth");
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    (Map<?, ?>) Json.parse(body));
            requests.add(request);
            Answer answer;
            try {
                answer = answerer.answer(request);
            } catch (Exception e) {
                answer = new Answer(500, "");
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
