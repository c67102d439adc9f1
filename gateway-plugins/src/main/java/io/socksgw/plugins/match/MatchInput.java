package io.socksgw.plugins.match;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One request as the matchers see it: who, from where, on which listener, which command, and the
 * destination host (see {@link NormalizedHost}) and port. The normalized forms are computed at most
 * once per input and only when a matcher asks. Used by one thread; not shared.
 */
public final class MatchInput {

    private static final byte[] NOT_AN_ADDRESS = new byte[0];

    private final ClientInfo client;
    private final Principal principal;
    private final Command command;
    private final Destination destination;
    private final InetSocketAddress address;
    private final String note;
    private NormalizedHost host;
    private byte[] clientAddress;

    private MatchInput(ClientInfo client, Principal principal, Command command, Destination destination,
            InetSocketAddress address, String note) {
        this.client = Objects.requireNonNull(client, "client");
        this.principal = Objects.requireNonNull(principal, "principal");
        this.command = Objects.requireNonNull(command, "command");
        this.destination = destination;
        this.address = address;
        this.note = note;
    }

    /** A request with the destination as the client gave it. */
    public static MatchInput of(ClientInfo client, Principal principal, SocksRequest request) {
        return new MatchInput(client, principal, request.command(), request.destination(), null, null);
    }

    /**
     * A request matched against another destination than the one it names: the address a name
     * resolved to, a BIND peer, a UDP datagram's destination.
     *
     * @param address the destination to match; an unresolved one is matched by its host name
     * @param note how this address relates to the request, for messages ("resolved from x.example"),
     *     or null
     */
    public static MatchInput atAddress(ClientInfo client, Principal principal, Command command,
            InetSocketAddress address, String note) {
        return new MatchInput(client, principal, command, null, Objects.requireNonNull(address, "address"), note);
    }

    /** Where the client connected from, and on which listener. */
    public ClientInfo client() {
        return client;
    }

    /** Who the client is. */
    public Principal principal() {
        return principal;
    }

    /** What the client asked for. */
    public Command command() {
        return command;
    }

    /** The destination port. */
    public int port() {
        return destination != null ? destination.port() : address.getPort();
    }

    /** The destination host, normalized. */
    public NormalizedHost host() {
        if (host == null) {
            if (destination != null) {
                host = NormalizedHost.of(destination);
            } else if (address.getAddress() != null) {
                host = NormalizedHost.ofAddress(address.getAddress().getAddress());
            } else {
                host = NormalizedHost.ofName(address.getHostString());
            }
        }
        return host;
    }

    /** The destination as 4 or 16 bytes (IPv4-mapped IPv6 as IPv4), or null for a host name. */
    public byte[] destinationAddress() {
        return host().addressBytes();
    }

    /** The destination host name, normalized, or null for an address. */
    public String destinationName() {
        return host().name();
    }

    /**
     * The destination for messages: the normalized host, how the client wrote it when that differs,
     * and the note given at construction, with control characters escaped.
     */
    public String describeDestination() {
        NormalizedHost normalized = host();
        StringBuilder text = new StringBuilder(printable(normalized.text()));
        if (normalized.given() != null) {
            text.append(" (given as ").append(printable(normalized.given())).append(')');
        }
        if (note != null) {
            text.append(" (").append(printable(note)).append(')');
        }
        return text.toString();
    }

    /** The client's address as 4 or 16 bytes (IPv4-mapped IPv6 as IPv4), or null if unresolved. */
    public byte[] clientAddress() {
        if (clientAddress == null) {
            InetAddress remote = client.remoteAddress().getAddress();
            clientAddress = remote == null ? NOT_AN_ADDRESS : IpLiteral.unmapped(remote.getAddress());
        }
        return clientAddress == NOT_AN_ADDRESS ? null : clientAddress;
    }

    /** The client's address for messages. */
    public String describeClient() {
        byte[] bytes = clientAddress();
        return bytes == null ? printable(client.remoteAddress().getHostString()) : IpLiteral.format(bytes);
    }

    /**
     * Text from a client (a host name, a user name) made safe for a log line: control characters,
     * and anything outside printable ASCII, written as {@code \\uXXXX}.
     */
    public static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f;
            if (!plain && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (plain) {
                    out.append(c);
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
