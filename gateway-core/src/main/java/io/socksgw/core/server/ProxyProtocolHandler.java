package io.socksgw.core.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.socksgw.core.limits.LogThrottle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the {@link HAProxyMessage} Netty's {@code HAProxyMessageDecoder} read from a trusted load
 * balancer and hands the client's address on: the header's source address and port for a PROXY
 * command over IPv4 or IPv6; the connection's own peer for a LOCAL command (the balancer's health
 * checks) and for address families that carry no IP (UNKNOWN, AF_UNIX), as the protocol says. A
 * header that cannot be decoded closes the connection. The message is released here on every path;
 * bytes that follow it go to whatever {@link Admission} installed behind this handler, which leaves
 * the pipeline once the client is admitted (or, when it is not, stays to drop them).
 */
final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {

    /** What happens with the client's address once the header is read. */
    interface Admission {
        /**
         * Admits the client (its limits, its session, the SOCKS handlers behind this one).
         *
         * @return false when it was refused (the channel is being closed)
         */
        boolean admit(InetSocketAddress client);
    }

    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolHandler.class);

    private final InetSocketAddress peer;
    private final String listenerName;
    private final LogThrottle problems;
    private final Admission admission;
    private boolean decided;

    ProxyProtocolHandler(InetSocketAddress peer, String listenerName, LogThrottle problems, Admission admission) {
        this.peer = peer;
        this.listenerName = listenerName;
        this.problems = problems;
        this.admission = admission;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided || !(msg instanceof HAProxyMessage header)) {
            // bytes behind a header whose client was refused (or anything before one: cannot happen)
            ReferenceCountUtil.release(msg);
            if (!decided) {
                decided = true;
                ctx.close();
            }
            return;
        }
        decided = true;
        InetSocketAddress client;
        String described;
        try {
            client = clientAddress(header, peer);
            described = header.protocolVersion() + " " + header.command() + " " + header.proxiedProtocol();
        } finally {
            header.release();
        }
        if (client == null) {
            problem("its PROXY header names a source address that is not an IP address");
            ctx.close();
            return;
        }
        if (log.isDebugEnabled()) {
            log.debug("PROXY header ({}) from {} on listener '{}': client {}", described, peer, listenerName, client);
        }
        if (admission.admit(client)) {
            ctx.pipeline().remove(this);
        } else {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!decided && cause instanceof DecoderException) {
            problem("malformed PROXY protocol header: " + cause.getMessage());
        } else {
            log.debug("connection from {} on listener '{}' failed before its SOCKS handshake", peer, listenerName,
                    cause);
        }
        decided = true;
        ctx.close();
    }

    private void problem(String what) {
        long dropped = problems.tryAcquire();
        if (dropped >= 0) {
            log.warn("closing a connection from trusted proxy {} on listener '{}': {}{}",
                    peer.getAddress().getHostAddress(), listenerName, what, LogThrottle.droppedNote(dropped));
        }
    }

    /**
     * The client's address according to {@code header}, or null when the header names a source that
     * is not an IP literal.
     */
    static InetSocketAddress clientAddress(HAProxyMessage header, InetSocketAddress peer) {
        if (header.command() == HAProxyCommand.LOCAL) {
            return peer;
        }
        switch (header.proxiedProtocol().addressFamily()) {
            case AF_IPv4, AF_IPv6 -> {
                String source = header.sourceAddress();
                InetAddress address = source == null ? null : NetUtil.createInetAddressFromIpAddressString(source);
                return address == null ? null : new InetSocketAddress(address, header.sourcePort());
            }
            default -> {
                return peer;
            }
        }
    }
}
