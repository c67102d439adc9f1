package io.socksgw.core.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address block such as {@code 127.0.0.0/8} or {@code fd00::/8}; a bare address is a block of
 * one. IPv4-mapped IPv6 addresses match the IPv4 blocks they map to.
 *
 * @param network the block's first address bytes (4 or 16), host bits zero
 * @param prefixLength how many leading bits are fixed
 */
public record CidrBlock(byte[] network, int prefixLength) {

    public CidrBlock {
        network = network.clone();
    }

    /**
     * Parses {@code address} or {@code address/prefix}; IP literals only, never DNS.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static CidrBlock parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address: '" + host + "'");
        }
        int maxBits = bytes.length * 8;
        int prefix = maxBits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length: '" + trimmed.substring(slash + 1) + "'", e);
            }
            if (prefix < 0 || prefix > maxBits) {
                throw new IllegalArgumentException("prefix length " + prefix + " out of range 0 to " + maxBits);
            }
        }
        return new CidrBlock(mask(bytes, prefix), prefix);
    }

    /** Whether {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            candidate = candidate.length == 16 ? mappedIpv4(candidate) : null;
            if (candidate == null || network.length != 4) {
                return false;
            }
        }
        return Arrays.equals(mask(candidate, prefixLength), network);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CidrBlock block && block.prefixLength == prefixLength
                && Arrays.equals(block.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xff << (8 - bitsHere));
        }
        return masked;
    }

    /** The IPv4 address inside {@code ::ffff:a.b.c.d}, or null. */
    private static byte[] mappedIpv4(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return null;
            }
        }
        if (v6[10] != (byte) 0xff || v6[11] != (byte) 0xff) {
            return null;
        }
        return Arrays.copyOfRange(v6, 12, 16);
    }
}
