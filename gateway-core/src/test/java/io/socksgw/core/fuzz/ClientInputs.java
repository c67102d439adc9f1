package io.socksgw.core.fuzz;

import static io.socksgw.core.fuzz.ByteStreams.bytes;
import static io.socksgw.core.fuzz.ByteStreams.concat;
import static io.socksgw.core.fuzz.ByteStreams.hex;

import io.socksgw.core.testing.Socks4Wire;
import io.socksgw.core.testing.Socks5Wire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of what a SOCKS client may send: valid handshakes, their prefixes and mutations, garbage. */
final class ClientInputs {

    private ClientInputs() {}

    /**
     * A handshake the server must accept under {@code profile}, and the data the client sends right
     * behind it (before any reply).
     */
    record ValidHandshake(ServerProfile profile, String dialect, byte[] handshake, byte[] payload) {

        byte[] bytes() {
            return concat(handshake, payload);
        }

        @Override
        public String toString() {
            return dialect + " under " + profile + ": [" + hex(handshake) + "] + payload ["
                    + hex(payload) + "]";
        }
    }

    /** Valid handshakes of every dialect: SOCKS5 without and with a login, SOCKS4, SOCKS4a. */
    static Arbitrary<ValidHandshake> validHandshakes() {
        return Arbitraries.oneOf(socks5NoAuth(), socks5Login(), socks4(), socks4a());
    }

    static Arbitrary<ValidHandshake> socks5NoAuth() {
        return Combinators.combine(greeting(0x00), socks5Connect(), payload())
                .as((greeting, request, payload) -> new ValidHandshake(ServerProfile.NO_AUTH, "SOCKS5",
                        concat(greeting, request), payload));
    }

    static Arbitrary<ValidHandshake> socks5Login() {
        return Combinators.combine(greeting(0x02), socks5Connect(), payload())
                .as((greeting, request, payload) -> new ValidHandshake(ServerProfile.USERS, "SOCKS5+login",
                        concat(greeting, Socks5Wire.login(ServerProfile.USER, ServerProfile.PASSWORD), request), payload));
    }

    static Arbitrary<ValidHandshake> socks4() {
        Arbitrary<byte[]> address = Arbitraries.bytes().array(byte[].class).ofSize(4)
                .filter(ip -> !(ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0)); // that is SOCKS4a
        return Combinators.combine(Arbitraries.of(ServerProfile.NO_AUTH, ServerProfile.USERS), address, ports(1),
                        userIds(), payload())
                .as((profile, ip, port, userId, payload) -> new ValidHandshake(profile, "SOCKS4",
                        Socks4Wire.request(Socks4Wire.CONNECT, port, ip,
                                Socks4Wire.terminated(profile == ServerProfile.USERS ? ServerProfile.USER : userId),
                                new byte[0]), payload));
    }

    static Arbitrary<ValidHandshake> socks4a() {
        return Combinators.combine(Arbitraries.of(ServerProfile.NO_AUTH, ServerProfile.USERS),
                        Arbitraries.integers().between(1, 255), ports(1), userIds(), domains(), payload())
                .as((profile, x, port, userId, domain, payload) -> new ValidHandshake(profile, "SOCKS4a",
                        Socks4Wire.request(Socks4Wire.CONNECT, port, bytes(0, 0, 0, x),
                                Socks4Wire.terminated(profile == ServerProfile.USERS ? ServerProfile.USER : userId),
                                Socks4Wire.terminated(domain)), payload));
    }

    /** A SOCKS5 greeting offering {@code required} among other methods, in any order. */
    static Arbitrary<byte[]> greeting(int required) {
        return Combinators.combine(Arbitraries.integers().between(0, 255).list().ofMaxSize(6),
                        Arbitraries.integers().between(0, 6))
                .as((others, at) -> {
                    List<Integer> methods = new ArrayList<>(others);
                    methods.add(Math.min(at, methods.size()), required);
                    return Socks5Wire.greeting(methods.stream().mapToInt(Integer::intValue).toArray());
                });
    }

    /** A SOCKS5 CONNECT to an IPv4, IPv6 or domain destination. */
    static Arbitrary<byte[]> socks5Connect() {
        Arbitrary<Tuple.Tuple2<Integer, byte[]>> address = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(4).map(ip -> Tuple.of(1, ip)),
                Arbitraries.bytes().array(byte[].class).ofSize(16).map(ip -> Tuple.of(4, ip)),
                domains().map(d -> {
                    byte[] name = d.getBytes(StandardCharsets.US_ASCII);
                    return Tuple.of(3, concat(bytes(name.length), name));
                }));
        return Combinators.combine(address, ports(0))
                .as((a, port) -> Socks5Wire.request(1, a.get1(), a.get2(), port));
    }

    /** Host names every resolver accepts: 1 to 4 labels of letters and digits. */
    static Arbitrary<String> domains() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .ofMinLength(1).ofMaxLength(20)
                .list().ofMinSize(1).ofMaxSize(4)
                .map(labels -> String.join(".", labels));
    }

    static Arbitrary<Integer> ports(int min) {
        return Arbitraries.integers().between(min, 65535);
    }

    /** SOCKS4 user ids: printable ASCII, possibly empty. */
    static Arbitrary<String> userIds() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(24);
    }

    /** What a client sends right behind its request. */
    static Arbitrary<byte[]> payload() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    }

    /**
     * What a fresh connection may receive first: noise, noise behind a version byte, valid handshakes
     * cut short, and valid handshakes with a few bytes changed, inserted or dropped.
     */
    static Arbitrary<byte[]> clientBytes() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, ByteStreams.anyBytes(300)),
                Tuple.of(1, Combinators.combine(Arbitraries.of(4, 5), ByteStreams.anyBytes(300))
                        .as((version, rest) -> concat(bytes(version), rest))),
                Tuple.of(2, ByteStreams.truncated(validHandshakes().map(ValidHandshake::bytes))),
                Tuple.of(5, ByteStreams.mutated(validHandshakes().map(ValidHandshake::bytes))))
                .filter(input -> input.length > 0); // nothing sent is a single case, not a thousand
    }
}
