package io.socksgw.plugins.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "0.0.0.0", "10.0.0.1", "255.255.255.255", "192.0.2.10",
        "::", "::1", "1::", "fd00::1", "2001:db8::8:800:200c:417a", "2001:DB8:0:0:8:800:200C:417A",
        "1:2:3:4:5:6:7:8", "1::8", "1:2:3:4:5:6::8", "::ffff:10.1.2.3", "::10.1.2.3", "1:2:3:4:5:6:10.1.2.3",
        "0:0:0:0:0:ffff:a00:1"
    })
    void parsesLiteralsToTheSameBytesAsTheJdk(String literal) throws Exception {
        // InetAddress.getByName never looks up a valid literal, and unmaps ::ffff:a.b.c.d to IPv4.
        byte[] expected = InetAddress.getByName(literal).getAddress();

        assertThat(IpLiteral.unmapped(IpLiteral.parse(literal))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "example.com", "10.0.0", "10.0.0.1.2", "256.0.0.1", "010.0.0.1", "1.2.3.-4", "1.2.3.4 ", " 1.2.3.4",
        "1..2.3", "10.0.0.1/8", ":", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7::8", "12345::1", "g::1", "1.2.3.4::", "::1.2.3", "fe80::1%eth0", "[::1]", "1:2:3:4:5:6:7:1.2.3.4"
    })
    void refusesAnythingElse(String text) {
        assertThat(IpLiteral.parse(text)).isNull();
    }

    @org.junit.jupiter.api.Test
    void unmapsOnlyIpv4MappedAddresses() {
        assertThat(IpLiteral.unmapped(IpLiteral.parse("::ffff:192.0.2.1"))).containsExactly(192, 0, 2, 1);
        assertThat(IpLiteral.unmapped(IpLiteral.parse("::192.0.2.1"))).hasSize(16);
        assertThat(IpLiteral.unmapped(IpLiteral.parse("192.0.2.1"))).hasSize(4);
    }
}
