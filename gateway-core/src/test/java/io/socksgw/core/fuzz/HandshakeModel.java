package io.socksgw.core.fuzz;

import static io.socksgw.core.fuzz.ByteStreams.bytes;
import static io.socksgw.core.fuzz.ByteStreams.concat;
import static io.socksgw.core.fuzz.ByteStreams.hex;

import io.netty.util.NetUtil;
import io.socksgw.api.Command;
import io.socksgw.api.Destination;
import io.socksgw.api.SocksRequest;
import io.socksgw.api.SocksVersion;
import io.socksgw.core.testing.ScriptedConnector;
import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * What the server must do with the bytes a client sent, written from RFC 1928, RFC 1929 and the
 * SOCKS4/4a description rather than from the handlers: the exact replies, whether the connection
 * then waits for more, is closed or relays, and which request reached the connector.
 *
 * <p>Two decoding details belong to Netty and are taken from the same functions it uses: host names
 * go through {@link IDN#toASCII(String)}, and SOCKS4 fields and SOCKS5 domains are read one byte
 * to one char (ISO-8859-1). The properties test the state machine, not Java's IDN.
 *
 * <p>The model assumes the test harness: a {@link ScriptedConnector} that connects every request,
 * BIND and UDP ASSOCIATE off, no failure delay.
 */
final class HandshakeModel {

    private HandshakeModel() {}

    /** How the connection stands once the server has reacted to every byte. */
    enum End {
        /** Nothing wrong yet, the request is not complete: the handshake deadline will decide. */
        AWAITING,
        CLOSED,
        /** Connected: what followed the request went to the destination. */
        RELAYING
    }

    /**
     * @param replies every byte the server must have sent
     * @param request what the connector must have been asked (RELAYING only)
     * @param forwardedFrom where in the input the bytes for the destination start (RELAYING only)
     * @param why the rule that decided, for failure messages
     * @param knownBug non-null when the server is known to answer this input otherwise (the name of
     *     the disabled example that shows it)
     */
    record Expectation(byte[] replies, End end, Optional<SocksRequest> request, int forwardedFrom, String why,
            String knownBug) {

        boolean relays() {
            return end == End.RELAYING;
        }

        @Override
        public String toString() {
            return end + " after [" + hex(replies) + "] (" + why + ")" + request.map(r -> " connecting " + r).orElse("")
                    + (knownBug != null ? " KNOWN BUG: " + knownBug : "");
        }
    }

    /** SOCKS5 success with the scripted connection's BND.ADDR and BND.PORT. */
    static final byte[] SOCKS5_CONNECTED = concat(bytes(5, 0, 0, 1), ScriptedConnector.BOUND.getAddress().getAddress(),
            port(ScriptedConnector.BOUND.getPort()));
    /** SOCKS4 0x5A with the scripted connection's port and address. */
    static final byte[] SOCKS4_GRANTED = concat(bytes(0, 0x5a), port(ScriptedConnector.BOUND.getPort()),
            ScriptedConnector.BOUND.getAddress().getAddress());
    /** SOCKS4 0x5B: the one failure SOCKS4 knows. */
    static final byte[] SOCKS4_REJECTED = bytes(0, 0x5b, 0, 0, 0, 0, 0, 0);

    /** A SOCKS5 failure reply (BND 0.0.0.0:0). */
    static byte[] socks5Failure(int code) {
        return bytes(5, code, 0, 1, 0, 0, 0, 0, 0, 0);
    }

    static Expectation expect(ServerProfile profile, byte[] input) {
        Replies out = new Replies();
        if (input.length == 0) {
            return out.awaiting("nothing sent yet");
        }
        return switch (input[0]) {
            case 5 -> socks5(profile, input, out);
            case 4 -> socks4(profile, input, out);
            default -> out.closed("no SOCKS version starts with this byte: no reply exists for it");
        };
    }

    private static Expectation socks5(ServerProfile profile, byte[] in, Replies out) {
        if (in.length < 2 || in.length < 2 + u8(in, 1)) {
            return out.awaiting("greeting incomplete");
        }
        int methods = u8(in, 1);
        boolean offered = false;
        for (int i = 2; i < 2 + methods; i++) {
            offered |= u8(in, i) == profile.method();
        }
        if (!offered) {
            return out.send(5, 0xff).closed(methods == 0 ? "greeting offers no method" : "no acceptable method offered");
        }
        out.send(5, profile.method());
        int p = 2 + methods;
        if (profile.method() == 0x02) {
            // RFC 1929; the decoder looks at VER once it has VER and ULEN.
            if (in.length - p < 2) {
                return out.awaiting("login incomplete");
            }
            if (u8(in, p) != 1) {
                return out.send(1, 0xff).closed("login version is not 1");
            }
            int userLength = u8(in, p + 1);
            if (in.length < p + 3 + userLength || in.length < p + 3 + userLength + u8(in, p + 2 + userLength)) {
                return out.awaiting("login incomplete");
            }
            int passwordLength = u8(in, p + 2 + userLength);
            String user = strictUtf8(in, p + 2, userLength);
            String password = strictUtf8(in, p + 3 + userLength, passwordLength);
            if (user == null || password == null) {
                return out.send(1, 0xff).closed("login is not UTF-8");
            }
            if (!profile.acceptsLogin(user, password)) {
                return out.send(1, 0xff).closed("wrong login");
            }
            out.send(1, 0);
            p += 3 + userLength + passwordLength;
        }
        return socks5Request(profile, in, p, out);
    }

    private static Expectation socks5Request(ServerProfile profile, byte[] in, int p, Replies out) {
        int left = in.length - p;
        if (left < 1) {
            return out.awaiting("request not started");
        }
        if (u8(in, p) != 5) {
            return out.send(socks5Failure(0x01)).closed("request version is not 5");
        }
        if (left < 4) {
            return out.awaiting("request incomplete");
        }
        int command = u8(in, p + 1);
        int addressType = u8(in, p + 3);
        int addressEnd;
        switch (addressType) {
            case 1 -> addressEnd = p + 4 + 4;
            case 4 -> addressEnd = p + 4 + 16;
            case 3 -> {
                if (left < 5) {
                    return out.awaiting("request incomplete");
                }
                int length = u8(in, p + 4);
                if (length == 0) {
                    return out.send(socks5Failure(0x01)).closed("empty domain");
                }
                if (left < 5 + length) {
                    return out.awaiting("request incomplete");
                }
                for (int i = p + 5; i < p + 5 + length; i++) {
                    if (in[i] == 0 || in[i] == '\r' || in[i] == '\n') {
                        return out.send(socks5Failure(0x01)).closed("domain with NUL, CR or LF");
                    }
                }
                addressEnd = p + 5 + length;
            }
            default -> {
                return out.send(socks5Failure(0x08)).closed("unknown ATYP");
            }
        }
        if (in.length < addressEnd + 2) {
            return out.awaiting("request incomplete");
        }
        int port = u16(in, addressEnd);
        String ascii = null;
        if (addressType == 3) {
            ascii = idn(latin1(in, p + 5, addressEnd - p - 5));
            if (ascii == null || ascii.length() > 255) {
                return out.send(socks5Failure(0x01)).closed("domain refused by IDN");
            }
        }
        Command cmd = switch (command) {
            case 1 -> Command.CONNECT;
            case 2 -> Command.BIND;
            case 3 -> Command.UDP_ASSOCIATE;
            default -> null;
        };
        if (cmd == null) {
            return out.send(socks5Failure(0x07)).closed("unknown command");
        }
        Destination destination;
        if (addressType == 3) {
            try {
                destination = Destination.ofDomain(ascii, port);
            } catch (IllegalArgumentException e) {
                return out.send(socks5Failure(0x01)).closed("unusable domain: " + e.getMessage());
            }
        } else {
            destination = Destination.of(address(Arrays.copyOfRange(in, p + 4, addressEnd)), port);
        }
        if (cmd != Command.CONNECT) {
            return out.send(socks5Failure(0x07)).closed(cmd + " is off");
        }
        if (!profile.allowsRequests()) {
            return out.send(socks5Failure(0x02)).closed("denied by policy");
        }
        return out.send(SOCKS5_CONNECTED).relaying(SocksRequest.of(SocksVersion.SOCKS5, cmd, destination), addressEnd + 2);
    }

    private static Expectation socks4(ServerProfile profile, byte[] in, Replies out) {
        if (in.length < 8) {
            return out.awaiting("SOCKS4 header incomplete");
        }
        int command = u8(in, 1);
        int port = u16(in, 2);
        byte[] ip = Arrays.copyOfRange(in, 4, 8);
        int userEnd = nulWithin255(in, 8);
        if (userEnd == TOO_LONG) {
            return out.send(SOCKS4_REJECTED).closed("user id longer than 255");
        }
        if (userEnd == MORE) {
            return out.awaiting("user id incomplete");
        }
        String userId = latin1(in, 8, userEnd - 8);
        int end = userEnd + 1;
        boolean socks4a = ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0;
        String host = address(ip).getHostAddress();
        if (socks4a) {
            int domainEnd = nulWithin255(in, end);
            if (domainEnd == TOO_LONG) {
                return out.send(SOCKS4_REJECTED).closed("domain longer than 255");
            }
            if (domainEnd == MORE) {
                return out.awaiting("domain incomplete");
            }
            host = idn(latin1(in, end, domainEnd - end));
            end = domainEnd + 1;
            if (host == null) {
                // Netty's decoder runs IDN again while building its failure message, and throws there.
                return out.send(SOCKS4_REJECTED).closed("SOCKS4a domain refused by IDN",
                        "ArbitraryClientBytesProperties.socks4aDomainThatIdnRefusesIsAnsweredWith5B");
            }
        }
        if (port == 0) {
            return out.send(SOCKS4_REJECTED).closed("DSTPORT 0");
        }
        if (command != 1 && command != 2) {
            return out.send(SOCKS4_REJECTED).closed("unknown command");
        }
        Destination destination;
        SocksVersion version;
        if (NetUtil.isValidIpV4Address(host)) {
            destination = Destination.of(NetUtil.createInetAddressFromIpAddressString(host), port);
            version = SocksVersion.SOCKS4;
        } else {
            try {
                destination = Destination.ofDomain(host, port);
            } catch (IllegalArgumentException e) {
                return out.send(SOCKS4_REJECTED).closed("unusable domain: " + e.getMessage());
            }
            version = SocksVersion.SOCKS4A;
        }
        if (!profile.acceptsSocks4UserId(userId)) {
            return out.send(SOCKS4_REJECTED).closed("unknown user id");
        }
        if (command == 2) {
            return out.send(SOCKS4_REJECTED).closed("BIND is off");
        }
        if (!profile.allowsRequests()) {
            return out.send(SOCKS4_REJECTED).closed("denied by policy");
        }
        Optional<String> id = userId.isEmpty() ? Optional.empty() : Optional.of(userId);
        return out.send(SOCKS4_GRANTED).relaying(new SocksRequest(version, Command.CONNECT, destination, id), end);
    }

    private static final int MORE = -1;
    private static final int TOO_LONG = -2;

    /** The index of the NUL ending a SOCKS4 string field at {@code start} (at most 255 chars before it). */
    private static int nulWithin255(byte[] in, int start) {
        for (int i = start; i < Math.min(in.length, start + 256); i++) {
            if (in[i] == 0) {
                return i;
            }
        }
        return in.length - start >= 256 ? TOO_LONG : MORE;
    }

    /** Replies so far, and the endings built on them. */
    private static final class Replies {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Replies send(int... values) {
            return send(bytes(values));
        }

        Replies send(byte[] reply) {
            bytes.writeBytes(reply);
            return this;
        }

        Expectation awaiting(String why) {
            return new Expectation(bytes.toByteArray(), End.AWAITING, Optional.empty(), -1, why, null);
        }

        Expectation closed(String why) {
            return closed(why, null);
        }

        Expectation closed(String why, String knownBug) {
            return new Expectation(bytes.toByteArray(), End.CLOSED, Optional.empty(), -1, why, knownBug);
        }

        Expectation relaying(SocksRequest request, int forwardedFrom) {
            return new Expectation(bytes.toByteArray(), End.RELAYING, Optional.of(request), forwardedFrom, "connected", null);
        }
    }

    private static String idn(String host) {
        try {
            return IDN.toASCII(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String strictUtf8(byte[] in, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String latin1(byte[] in, int offset, int length) {
        return new String(in, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static int u8(byte[] in, int index) {
        return in[index] & 0xff;
    }

    private static int u16(byte[] in, int index) {
        return (u8(in, index) << 8) | u8(in, index + 1);
    }

    static byte[] port(int port) {
        return bytes(port >> 8, port & 0xff);
    }
}
