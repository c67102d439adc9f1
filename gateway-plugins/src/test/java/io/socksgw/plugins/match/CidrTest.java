package io.socksgw.plugins.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    private static byte[] ip(String literal) {
        return IpLiteral.unmapped(IpLiteral.parse(literal));
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8,       10.0.0.0,         true",
        "10.0.0.0/8,       10.255.255.255,   true",
        "10.0.0.0/8,       11.0.0.0,         false",
        "10.0.0.0/8,       9.255.255.255,    false",
        "192.168.0.0/16,   192.168.77.1,     true",
        "192.168.0.0/16,   192.169.0.1,      false",
        "172.16.0.0/12,    172.31.255.255,   true",
        "172.16.0.0/12,    172.32.0.0,       false",
        "192.0.2.1,        192.0.2.1,        true",
        "192.0.2.1,        192.0.2.2,        false",
        "0.0.0.0/0,        203.0.113.9,      true",
        "0.0.0.0/0,        ::1,              false",
        "fd00::/8,         fd12:3456::1,     true",
        "fd00::/8,         fe80::1,          false",
        "::1/128,          ::1,              true",
        "::1,              ::2,              false",
        "2001:db8::/33,    2001:db8:7fff::1, true",
        "2001:db8::/33,    2001:db8:8000::1, false",
        "::/0,             10.0.0.1,         false",
        "::ffff:10.0.0.0/104, 10.9.9.9,      true",
        "10.0.0.0/8,       ::ffff:10.1.2.3,  true",
    })
    void containsExactlyTheAddressesOfItsNetwork(String cidr, String address, boolean contained) {
        assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(contained);
    }

    @Test
    void storesIpv4MappedNetworksAsIpv4() {
        assertThat(Cidr.parse("::ffff:10.0.0.0/104")).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("::ffff:192.0.2.1")).hasToString("192.0.2.1/32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/x",
        "corp.example/8", "10.0.0/8", ""})
    void refusesMalformedNetworksSayingWhatWasExpected(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected");
    }

    @Test
    void refusesHostBitsAndSuggestsTheNetwork() {
        assertThatThrownBy(() -> Cidr.parse("10.1.0.0/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits set; did you mean 10.0.0.0/8?");
        assertThatThrownBy(() -> Cidr.parse("fd00::1/8"))
                .hasMessageContaining("did you mean fd00::/8?");
    }
}
