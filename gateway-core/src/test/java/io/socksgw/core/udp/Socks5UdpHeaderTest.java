package io.socksgw.core.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 1928 section 7 headers, byte for byte. */
class Socks5UdpHeaderTest {

    @Test
    void parsesAnIpv4HeaderAndLeavesTheReaderIndexAlone() throws Exception {
        ByteBuf datagram = hex("0000 00 01 c0000207 0035 6869");

        Socks5UdpHeader.Parsed header = Socks5UdpHeader.parse(datagram);

        assertThat(header.fragment()).isZero();
        assertThat(header.address()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 53));
        assertThat(header.length()).isEqualTo(10);
        assertThat(datagram.readerIndex()).isZero();
        datagram.release();
    }

    @Test
    void parsesAnIpv6Header() throws Exception {
        ByteBuf datagram = hex("0000 00 04 20010db8000000000000000000000001 01bb");

        Socks5UdpHeader.Parsed header = Socks5UdpHeader.parse(datagram);

        assertThat(header.address()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 443));
        assertThat(header.length()).isEqualTo(22);
        datagram.release();
    }

    @Test
    void readsAnIpv4MappedIpv6AddressAsIpv4() {
        ByteBuf datagram = hex("0000 00 04 00000000000000000000ffff7f000001 0050");

        InetSocketAddress address = Socks5UdpHeader.parse(datagram).address();

        assertThat(address.getAddress()).isInstanceOf(Inet4Address.class);
        assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        datagram.release();
    }

    @Test
    void parsesADomainHeaderAsAnUnresolvedAddressAndTheFragmentNumber() {
        ByteBuf datagram = hex("0000 02 03 0b6578616d706c652e6f7267 0035 ff");

        Socks5UdpHeader.Parsed header = Socks5UdpHeader.parse(datagram);

        assertThat(header.fragment()).isEqualTo(2);
        assertThat(header.address().isUnresolved()).isTrue();
        assertThat(header.address().getHostString()).isEqualTo("example.org");
        assertThat(header.address().getPort()).isEqualTo(53);
        assertThat(header.length()).isEqualTo(4 + 1 + 11 + 2);
        datagram.release();
    }

    @ParameterizedTest(name = "rejects {0}")
    @ValueSource(strings = {
        "",                         // nothing
        "0000 00",                  // no ATYP
        "0001 00 01 7f000001 0035", // RSV not zero
        "0000 00 01 7f0000",        // address cut short
        "0000 00 01 7f000001 00",   // port cut short
        "0000 00 04 20010db8",      // IPv6 cut short
        "0000 00 03 00 0035",       // empty domain
        "0000 00 03 05 6162 0035",  // domain longer than what follows
        "0000 00 02 7f000001 0035", // unknown ATYP
    })
    void rejectsMalformedHeaders(String bytes) {
        ByteBuf datagram = hex(bytes);
        try {
            assertThatThrownBy(() -> Socks5UdpHeader.parse(datagram)).isInstanceOf(CorruptedFrameException.class);
        } finally {
            datagram.release();
        }
    }

    @Test
    void writesEachAddressTypeWithFragmentZero() throws Exception {
        assertThat(written(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 53))).isEqualTo("00000001c00002070035");
        assertThat(written(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 443)))
                .isEqualTo("0000000420010db800000000000000000000000101bb");
        assertThat(written(InetSocketAddress.createUnresolved("example.org", 53)))
                .isEqualTo("000000030b6578616d706c652e6f72670035");
    }

    @Test
    void lengthMatchesWhatIsWritten() throws Exception {
        for (InetSocketAddress address : new InetSocketAddress[] {
            new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 1),
            new InetSocketAddress(InetAddress.getByName("::1"), 2),
            InetSocketAddress.createUnresolved("a.example", 3)}) {
            assertThat(Socks5UdpHeader.length(address)).isEqualTo(written(address).length() / 2);
        }
    }

    private static String written(InetSocketAddress address) {
        ByteBuf out = Unpooled.buffer();
        try {
            Socks5UdpHeader.write(out, address);
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }

    private static ByteBuf hex(String spaced) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(spaced.replace(" ", "")));
    }
}
