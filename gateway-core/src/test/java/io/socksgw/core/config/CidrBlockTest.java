package io.socksgw.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrBlockTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "127.0.0.0/8,     127.0.0.1,        true",
        "127.0.0.0/8,     127.255.255.255,  true",
        "127.0.0.0/8,     128.0.0.1,        false",
        "10.1.2.0/23,     10.1.3.77,        true",
        "10.1.2.0/23,     10.1.4.1,         false",
        "192.0.2.7,       192.0.2.7,        true",
        "192.0.2.7,       192.0.2.8,        false",
        "0.0.0.0/0,       203.0.113.9,      true",
        "0.0.0.0/0,       2001:db8::1,      false",
        "fd00::/8,        fd12:3456::1,     true",
        "fd00::/8,        fe80::1,          false",
        "::1,             ::1,              true",
        "127.0.0.0/8,     ::ffff:127.0.0.1, true",
        "10.9.9.9/8,      10.0.0.1,         true",
    })
    void matchesAddressesInsideTheBlockOnly(String block, String address, boolean expected) throws Exception {
        assertThat(CidrBlock.parse(block).contains(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/33,  prefix length 33 out of range 0 to 32",
        "fd00::/129,   prefix length 129 out of range 0 to 128",
        "10.0.0.0/x,   not a prefix length: 'x'",
        "office.lan,   not an IP address: 'office.lan'",
        "10.0.0/8,     not an IP address: '10.0.0'",
    })
    void refusesWhatIsNotABlock(String text, String message) {
        assertThatThrownBy(() -> CidrBlock.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"10.9.9.9/8, 10.0.0.0/8", "192.0.2.7, 192.0.2.7/32", "fd00::1/8, fd00:0:0:0:0:0:0:0/8"})
    void printsItsNetworkAndPrefix(String text, String printed) {
        assertThat(CidrBlock.parse(text)).hasToString(printed);
    }
}
