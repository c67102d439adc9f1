package io.socksgw.core.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.socksgw.core.metrics.GatewayMetrics;
import io.socksgw.core.server.GatewayServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the admin endpoints on one connection. {@code /health} and {@code /ready} are answered on
 * the event loop (they read two flags); {@code /metrics} is rendered on the scrape executor and
 * written back from the channel's loop. Responses leave in the order the requests came, as HTTP/1.1
 * pipelining requires, even when a scrape finishes after a later, quicker request.
 */
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminRequestHandler.class);

    /** Prometheus text exposition format 0.0.4, what {@code PrometheusMeterRegistry.scrape()} writes. */
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final GatewayMetrics metrics;
    private final GatewayServer server;
    private final Executor scrapes;
    private final Deque<Slot> inOrder = new ArrayDeque<>();

    AdminRequestHandler(GatewayMetrics metrics, GatewayServer server, Executor scrapes) {
        this.metrics = metrics;
        this.server = server;
        this.scrapes = scrapes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean head = request.method().equals(HttpMethod.HEAD);
        Slot slot = new Slot(head, HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess());
        inOrder.addLast(slot);
        if (!request.decoderResult().isSuccess()) {
            complete(ctx, slot, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request\n");
            return;
        }
        if (!head && !request.method().equals(HttpMethod.GET)) {
            slot.allow = true;
            complete(ctx, slot, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "use GET or HEAD\n");
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        switch (path) {
            case "/health" -> complete(ctx, slot, HttpResponseStatus.OK, TEXT, "ok\n");
            case "/ready" -> {
                if (server.isReady()) {
                    complete(ctx, slot, HttpResponseStatus.OK, TEXT, "ready\n");
                } else {
                    String why = server.isDraining() ? "draining" : server.isOverloaded() ? "overloaded" : "starting";
                    complete(ctx, slot, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "not ready: " + why + "\n");
                }
            }
            case "/metrics" -> scrape(ctx, slot);
            default -> complete(ctx, slot, HttpResponseStatus.NOT_FOUND, TEXT,
                    "not found; try /metrics, /health or /ready\n");
        }
    }

    private void scrape(ChannelHandlerContext ctx, Slot slot) {
        try {
            scrapes.execute(() -> {
                String body;
                HttpResponseStatus status = HttpResponseStatus.OK;
                String type = METRICS_CONTENT_TYPE;
                try {
                    body = metrics.scrape();
                } catch (RuntimeException e) {
                    log.warn("rendering metrics failed", e);
                    status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
                    type = TEXT;
                    body = "metrics failed: " + e + "\n";
                }
                HttpResponseStatus finalStatus = status;
                String finalType = type;
                String finalBody = body;
                try {
                    ctx.executor().execute(() -> complete(ctx, slot, finalStatus, finalType, finalBody));
                } catch (RejectedExecutionException stopping) {
                    // the admin listener is shutting down; the connection goes with it
                }
            });
        } catch (RejectedExecutionException e) {
            complete(ctx, slot, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "busy: too many scrapes at once\n");
        }
    }

    /** Fills a request's slot, then writes every response at the head of the line that is ready. */
    private void complete(ChannelHandlerContext ctx, Slot slot, HttpResponseStatus status, String type, String body) {
        if (slot.abandoned) {
            return; // the connection closed while the scrape ran
        }
        FullHttpResponse response = response(status, type, body, slot.head);
        if (slot.allow) {
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        }
        slot.response = response;
        while (!inOrder.isEmpty() && inOrder.peekFirst().response != null) {
            Slot ready = inOrder.removeFirst();
            write(ctx, ready.response, ready.keepAlive);
            if (!ready.keepAlive) {
                releaseRemaining();
                return;
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseRemaining();
        super.channelInactive(ctx);
    }

    private void releaseRemaining() {
        for (Slot slot : inOrder) {
            if (slot.response != null) {
                slot.response.release();
            }
            slot.abandoned = true;
        }
        inOrder.clear();
    }

    private static FullHttpResponse response(HttpResponseStatus status, String type, String body, boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** One request's place in the response order. */
    private static final class Slot {
        final boolean head;
        final boolean keepAlive;
        boolean allow;
        boolean abandoned;
        FullHttpResponse response;

        Slot(boolean head, boolean keepAlive) {
            this.head = head;
            this.keepAlive = keepAlive;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
