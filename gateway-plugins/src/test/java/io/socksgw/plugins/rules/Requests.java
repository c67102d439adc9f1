package io.socksgw.plugins.rules;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.route.RouteRequest;
import io.socksgw.plugins.match.IpLiteral;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;

/**
 * Route requests for tests, built fluently: {@code to("www.example.com", 443).from("10.1.2.3").user("alice")}.
 * The defaults: a CONNECT from 192.0.2.10 on listener {@code main}, by an anonymous client.
 */
final class Requests {

    private final Destination destination;
    private String client = "192.0.2.10";
    private String listener = "main";
    private Command command = Command.CONNECT;
    private Principal principal = Principal.ANONYMOUS;

    private Requests(Destination destination) {
        this.destination = destination;
    }

    /** To a host: an IP literal becomes an IP destination, anything else a domain. */
    static Requests to(String host, int port) {
        return new Requests(destination(host, port));
    }

    /** To a domain, even if it looks like an IP literal (as SOCKS5 clients may send it). */
    static Requests toDomain(String name, int port) {
        return new Requests(Destination.ofDomain(name, port));
    }

    Requests from(String clientAddress) {
        this.client = clientAddress;
        return this;
    }

    Requests on(String listenerName) {
        this.listener = listenerName;
        return this;
    }

    Requests command(Command value) {
        this.command = value;
        return this;
    }

    Requests user(String name, String... groups) {
        this.principal = new Principal(name, Set.of(groups), Map.of());
        return this;
    }

    RouteRequest build() {
        ClientInfo info = new ClientInfo(new InetSocketAddress(address(client), 40000),
                new InetSocketAddress(address("127.0.0.1"), 1080), listener);
        return new RouteRequest(info, principal, SocksRequest.of(SocksVersion.SOCKS5, command, destination));
    }

    @Override
    public String toString() {
        return command + " " + destination + " from " + client + " on " + listener + " by " + principal.name()
                + (principal.groups().isEmpty() ? "" : principal.groups());
    }

    private static Destination destination(String host, int port) {
        return IpLiteral.parse(host) != null ? Destination.of(address(host), port) : Destination.ofDomain(host, port);
    }

    /** Literals only: never a DNS lookup in a test. */
    private static InetAddress address(String literal) {
        byte[] bytes = IpLiteral.parse(literal);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP literal: " + literal);
        }
        try {
            // Inet6Address keeps an IPv4-mapped address as IPv6, as a dual-stack socket may report it.
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
