package io.socksgw.plugins.match;

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

    @ParameterizedTest(name = "{0} is {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "127.0.0.1,        127.0.0.1",
        "127.1,            127.0.0.1",
        "127.0.1,          127.0.0.1",
        "10.1.515,         10.1.2.3",
        "2130706433,       127.0.0.1",
        "0x7f000001,       127.0.0.1",
        "0X7F000001,       127.0.0.1",
        "0x7f.1,           127.0.0.1",
        "0x7f.0x0.0x0.0x1, 127.0.0.1",
        "017700000001,     127.0.0.1",
        "0177.0.0.01,      127.0.0.1",
        "0177.1,           127.0.0.1",
        "127.000.000.001,  127.0.0.1",
        "0,                0.0.0.0",
        "0.0.0.0,          0.0.0.0",
        "00,               0.0.0.0",
        "4294967295,       255.255.255.255",
        "0xffffffff,       255.255.255.255",
        "2852039166,       169.254.169.254",
        "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
        "169.16689662,     169.254.169.254",
    })
    void parsesEveryInetAtonForm(String text, String expected) throws Exception {
        assertThat(IpLiteral.parseInetAton(text)).isEqualTo(InetAddress.getByName(expected).getAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", ".", "1.", ".1", "1..2", "1.2.3.4.5", "4294967296", "0x100000000", "256.1", "1.256.1", "1.2.65536",
        "1.2.3.256", "08", "0.09", "0x", "0x.1", "1.0xg", "1e3", "-1", "+1", "1.2.3.4 ", " 1.2.3.4", "example.com",
        "1.2.3.4x", "\u0661.1", "99999999999999999999", "0x7f..1"
    })
    void refusesWhatInetAtonRefuses(String text) {
        assertThat(IpLiteral.parseInetAton(text)).isNull();
    }

    @ParameterizedTest(name = "{0} formats as {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "10.1.2.3,                 10.1.2.3",
        "::,                       ::",
        "::1,                      ::1",
        "1::,                      1::",
        "2001:DB8:0:0:0:0:0:1,     2001:db8::1",
        "2001:db8:0:1:0:0:0:1,     2001:db8:0:1::1",
        "2001:db8:0:0:1:0:0:1,     2001:db8::1:0:0:1",
        "1:0:2:3:4:5:6:7,          1:0:2:3:4:5:6:7",
        "fe80::1,                  fe80::1",
    })
    void formatsAddressesCanonically(String literal, String expected) {
        assertThat(IpLiteral.format(IpLiteral.parse(literal))).isEqualTo(expected);
    }
}
