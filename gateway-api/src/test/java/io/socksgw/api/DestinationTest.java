package io.socksgw.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class DestinationTest {

    @Test
    void acceptsA255ByteDomain() {
        String name = "a".repeat(255);
        assertThat(Destination.ofDomain(name, 80).host()).hasSize(255);
    }

    @Test
    void refusesA256ByteDomainInsteadOfTruncating() {
        assertThatThrownBy(() -> Destination.ofDomain("a".repeat(256), 80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("255");
    }

    @Test
    void countsDomainLengthInUtf8Bytes() {
        assertThatThrownBy(() -> Destination.ofDomain("\u00e9".repeat(128), 80))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesEmptyDomain() {
        assertThatThrownBy(() -> Destination.ofDomain("", 80)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNulCrAndLfInDomains() {
        for (String bad : new String[] {"a\0b", "a\rb", "a\nb"}) {
            assertThatThrownBy(() -> Destination.ofDomain(bad, 80)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesPortsOutOfRange() {
        assertThatThrownBy(() -> Destination.ofDomain("x", 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Destination.ofDomain("x", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipDestinationsKeepTheirFamilyAndFormatIpv6InBrackets() throws Exception {
        Destination v6 = Destination.of(InetAddress.getByName("::1"), 443);
        assertThat(v6.type()).isEqualTo(Destination.AddressType.IPV6);
        assertThat(v6.toString()).isEqualTo("[0:0:0:0:0:0:0:1]:443");
        assertThat(v6.toSocketAddress().isUnresolved()).isFalse();

        Destination v4 = Destination.of(InetAddress.getByName("127.0.0.1"), 80);
        assertThat(v4.type()).isEqualTo(Destination.AddressType.IPV4);
        assertThat(v4.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void domainsStayUnresolved() {
        Destination d = Destination.ofDomain("Example.COM", 80);
        assertThat(d.toSocketAddress().isUnresolved()).isTrue();
        assertThat(d.normalizedHost()).isEqualTo("example.com");
        assertThatThrownBy(d::address).isInstanceOf(IllegalStateException.class);
    }
}
