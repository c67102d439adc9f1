package io.socksgw.core.socks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes the RFC 1929 username/password request.
 *
 * <p>Written by hand because Netty's {@code Socks5PasswordAuthRequestDecoder} decodes both fields as
 * US-ASCII, turning every non-ASCII byte into U+FFFD: two different non-ASCII passwords of the same
 * shape would then compare equal. Here the fields are strict UTF-8 (what {@code hash-password}
 * hashes), and bytes that are not UTF-8 fail the request instead of being guessed at.
 *
 * <p>Like Netty's decoders it emits a {@link DefaultSocks5PasswordAuthRequest} (with a failed
 * {@code decoderResult()} on bad input) and passes any bytes after the request on unchanged.
 */
final class Rfc1929RequestDecoder extends ByteToMessageDecoder {

    private static final int SUBNEGOTIATION_VERSION = 0x01;

    private enum State { READING, DONE, FAILED }

    private State state = State.READING;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case READING -> readRequest(in, out);
            case DONE -> out.add(in.readRetainedSlice(in.readableBytes()));
            case FAILED -> in.skipBytes(in.readableBytes());
        }
    }

    private void readRequest(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        if (in.readableBytes() < 2) {
            return;
        }
        int version = in.getUnsignedByte(start);
        if (version != SUBNEGOTIATION_VERSION) {
            fail(in, out, "unsupported subnegotiation version " + version + " (expected 1)");
            return;
        }
        int userLength = in.getUnsignedByte(start + 1);
        if (in.readableBytes() < 2 + userLength + 1) {
            return;
        }
        int passwordLength = in.getUnsignedByte(start + 2 + userLength);
        if (in.readableBytes() < 3 + userLength + passwordLength) {
            return;
        }
        try {
            String username = utf8(in, start + 2, userLength);
            String password = utf8(in, start + 3 + userLength, passwordLength);
            in.skipBytes(3 + userLength + passwordLength);
            state = State.DONE;
            out.add(new DefaultSocks5PasswordAuthRequest(username, password));
        } catch (CharacterCodingException e) {
            fail(in, out, "username or password is not valid UTF-8");
        }
    }

    private void fail(ByteBuf in, List<Object> out, String why) {
        state = State.FAILED;
        in.skipBytes(in.readableBytes());
        DefaultSocks5PasswordAuthRequest failed = new DefaultSocks5PasswordAuthRequest("", "");
        failed.setDecoderResult(DecoderResult.failure(new DecoderException(why)));
        out.add(failed);
    }

    private static String utf8(ByteBuf in, int index, int length) throws CharacterCodingException {
        ByteBuffer bytes = in.nioBuffer(index, length);
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes)
                .toString();
    }
}
