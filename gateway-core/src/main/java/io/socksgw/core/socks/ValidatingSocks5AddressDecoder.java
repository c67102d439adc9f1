package io.socksgw.core.socks;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.socksx.v5.Socks5AddressDecoder;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;

/**
 * Netty's address decoder, plus the two things a server needs that it does not do: an unknown ATYP
 * raises {@link UnsupportedAddressTypeException} (so the reply can be 0x08, not a generic failure),
 * and a domain that is empty or carries NUL, CR or LF is refused before it can travel anywhere.
 */
final class ValidatingSocks5AddressDecoder implements Socks5AddressDecoder {

    static final ValidatingSocks5AddressDecoder INSTANCE = new ValidatingSocks5AddressDecoder();

    @Override
    public String decodeAddress(Socks5AddressType addrType, ByteBuf in) throws Exception {
        if (addrType != Socks5AddressType.IPv4 && addrType != Socks5AddressType.IPv6
                && addrType != Socks5AddressType.DOMAIN) {
            throw new UnsupportedAddressTypeException(addrType.byteValue());
        }
        if (addrType == Socks5AddressType.DOMAIN) {
            int length = in.getUnsignedByte(in.readerIndex());
            if (length == 0) {
                throw new InvalidDestinationException("empty domain name");
            }
            // Ask for all the bytes before looking at them: ReplayingDecoder replays us when they arrive.
            in.getByte(in.readerIndex() + length);
            for (int i = 1; i <= length; i++) {
                byte b = in.getByte(in.readerIndex() + i);
                if (b == 0 || b == '\r' || b == '\n') {
                    throw new InvalidDestinationException("domain name contains NUL, CR or LF");
                }
            }
        }
        return Socks5AddressDecoder.DEFAULT.decodeAddress(addrType, in);
    }

    /** ATYP is none of 0x01, 0x03, 0x04. */
    static final class UnsupportedAddressTypeException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedAddressTypeException(byte type) {
            super(String.format("unsupported address type 0x%02x", type & 0xff), null, false, false);
        }
    }

    /** The destination is syntactically unusable. */
    static final class InvalidDestinationException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidDestinationException(String message) {
            super(message, null, false, false);
        }
    }
}
