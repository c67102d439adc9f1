package io.socksgw.plugins.acl;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.api.access.AccessPhase;
import io.socksgw.api.access.AccessRequest;
import io.socksgw.plugins.match.IpLiteral;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Access requests for tests, built fluently:
 * {@code to("www.example.com", 443).from("10.1.2.3").user("alice", "staff").resolvedTo("10.9.9.9")}.
 * The defaults: a CONNECT in the REQUEST phase from 192.0.2.10 on listener {@code socks}, by an
 * anonymous client.
 */
final class AccessRequests {

    private final Destination destination;
    private String client = "192.0.2.10";
    private String listener = "socks";
    private Command command = Command.CONNECT;
    private Principal principal = Principal.ANONYMOUS;
    private AccessPhase phase = AccessPhase.REQUEST;
    private InetSocketAddress address;

    private AccessRequests(Destination destination) {
        this.destination = destination;
    }

    /** To a host: a strict IP literal becomes an IP destination, anything else a domain. */
    static AccessRequests to(String host, int port) {
        return new AccessRequests(IpLiteral.parse(host) != null
                ? Destination.of(address(host), port)
                : Destination.ofDomain(host, port));
    }

    /** To a domain, even if it looks like an IP literal (as SOCKS5 clients may send it). */
    static AccessRequests toDomain(String name, int port) {
        return new AccessRequests(Destination.ofDomain(name, port));
    }

    AccessRequests from(String clientAddress) {
        this.client = clientAddress;
        return this;
    }

    AccessRequests on(String listenerName) {
        this.listener = listenerName;
        return this;
    }

    AccessRequests command(Command value) {
        this.command = value;
        return this;
    }

    AccessRequests user(String name, String... groups) {
        this.principal = new Principal(name, Set.of(groups), Map.of());
        return this;
    }

    /** The RESOLVED phase: the destination resolved to this address (the request's port). */
    AccessRequests resolvedTo(String literal) {
        return at(AccessPhase.RESOLVED, literal, destination.port());
    }

    /** Another phase than REQUEST, on this address. */
    AccessRequests at(AccessPhase value, String literal, int port) {
        this.phase = value;
        this.address = new InetSocketAddress(address(literal), port);
        return this;
    }

    AccessRequest build() {
        ClientInfo info = new ClientInfo(new InetSocketAddress(address(client), 40000),
                new InetSocketAddress(address("127.0.0.1"), 1080), listener);
        return new AccessRequest(phase, info, principal, SocksRequest.of(SocksVersion.SOCKS5, command, destination),
                Optional.ofNullable(address));
    }

    @Override
    public String toString() {
        return phase + " " + command + " " + destination + (address == null ? "" : " at " + address) + " from "
                + client + " on " + listener + " by " + principal.name()
                + (principal.groups().isEmpty() ? "" : principal.groups());
    }

    /** Literals only: never a DNS lookup in a test. */
    static InetAddress address(String literal) {
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
