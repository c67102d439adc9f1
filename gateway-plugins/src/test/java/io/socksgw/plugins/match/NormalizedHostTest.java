package io.socksgw.plugins.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.socksgw.api.Destination;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NormalizedHostTest {

    @ParameterizedTest(name = "domain {0} is the address {1}")
    @CsvSource({
        "127.0.0.1,            127.0.0.1",
        "127.1,                127.0.0.1",
        "2130706433,           127.0.0.1",
        "0x7f000001,           127.0.0.1",
        "0x7f.1,               127.0.0.1",
        "017700000001,         127.0.0.1",
        "0.0.0.0,              0.0.0.0",
        "0,                    0.0.0.0",
        "127.0.0.1.,           127.0.0.1",
        "::ffff:127.0.0.1,     127.0.0.1",
        "::FFFF:7F00:1,        127.0.0.1",
        "[::1],                ::1",
        "::1,                  ::1",
        "fe80::1%eth0,         fe80::1",
        "[fe80::1%25eth0],     fe80::1",
        "169.254.169.254,      169.254.169.254",
        "\uff11\uff12\uff17\u3002\uff10\u3002\uff10\u3002\uff11, 127.0.0.1",
    })
    void readsEverySpellingOfAnAddressAsThatAddress(String domain, String address) throws Exception {
        NormalizedHost host = NormalizedHost.of(Destination.ofDomain(domain, 80));

        assertThat(host.isAddress()).isTrue();
        assertThat(host.name()).isNull();
        assertThat(host.address()).isEqualTo(InetAddress.getByName(address).getAddress());
    }

    @ParameterizedTest(name = "domain {0} is the name {1}")
    @CsvSource({
        "example.com,             example.com",
        "EXAMPLE.Com,             example.com",
        "example.com.,            example.com",
        "LOCALHOST.,              localhost",
        "\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54, localhost",
        "db\u3002corp\u3002example, db.corp.example",
        "b\u00fccher.example,     xn--bcher-kva.example",
        "1.2.3.4.example,         1.2.3.4.example",
        "08.1,                    08.1",
        "0x,                      0x",
    })
    void normalizesNames(String domain, String name) {
        NormalizedHost host = NormalizedHost.of(Destination.ofDomain(domain, 80));

        assertThat(host.isAddress()).isFalse();
        assertThat(host.name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "::ffff:10.1.2.3", "0:0:0:0:0:ffff:a01:203"})
    void unmapsIpDestinations(String literal) throws Exception {
        NormalizedHost host = NormalizedHost.of(Destination.of(InetAddress.getByName(literal), 80));

        assertThat(host.text()).isEqualTo("10.1.2.3");
    }

    @Test
    void remembersTheSpellingOnlyWhenItDiffers() {
        assertThat(NormalizedHost.ofName("0x7f.1")).hasToString("127.0.0.1 (given as 0x7f.1)");
        assertThat(NormalizedHost.ofName("127.0.0.1").given()).isNull();
        assertThat(NormalizedHost.ofName("Example.COM.").given()).isNull();
    }

    @Test
    void keepsIpv6ScopedDestinationsAsTheirAddress() throws Exception {
        Destination scoped = new Destination(Destination.AddressType.IPV6, "fe80:0:0:0:0:0:0:1%2", 80);

        assertThat(NormalizedHost.of(scoped).text()).isEqualTo("fe80::1");
    }
}
