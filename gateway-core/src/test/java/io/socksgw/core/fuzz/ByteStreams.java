package io.socksgw.core.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Byte streams for properties on either side of a SOCKS connection: noise, prefixes and edits of
 * valid messages, and the reads a stream arrives in.
 */
public final class ByteStreams {

    private ByteStreams() {}

    /** Any bytes at all. */
    public static Arbitrary<byte[]> anyBytes(int maxSize) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
    }

    /** A prefix of each input (possibly all of it). */
    public static Arbitrary<byte[]> truncated(Arbitrary<byte[]> inputs) {
        return Combinators.combine(inputs, Arbitraries.integers().between(1, 1000))
                .as((input, cut) -> Arrays.copyOf(input, Math.min(cut, input.length)));
    }

    /** Each input with one to three edits: a byte overwritten, bytes inserted, bytes dropped. */
    public static Arbitrary<byte[]> mutated(Arbitrary<byte[]> inputs) {
        return Combinators.combine(inputs, edit().list().ofMinSize(1).ofMaxSize(3))
                .as((input, edits) -> {
                    byte[] out = input;
                    for (Edit edit : edits) {
                        out = edit.applyTo(out);
                    }
                    return out;
                });
    }

    private static Arbitrary<Edit> edit() {
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 400);
        return Arbitraries.oneOf(
                Combinators.combine(where, Arbitraries.integers().between(0, 255)).as(Overwrite::new),
                Combinators.combine(where, anyBytes(8).filter(b -> b.length > 0)).as(Insert::new),
                Combinators.combine(where, Arbitraries.integers().between(1, 8)).as(Drop::new));
    }

    /** One change to an input; positions wrap around its length. */
    sealed interface Edit permits Overwrite, Insert, Drop {
        byte[] applyTo(byte[] input);
    }

    record Overwrite(int at, int value) implements Edit {
        @Override
        public byte[] applyTo(byte[] input) {
            if (input.length == 0) {
                return input;
            }
            byte[] out = input.clone();
            out[at % input.length] = (byte) value;
            return out;
        }
    }

    record Insert(int at, byte[] inserted) implements Edit {
        @Override
        public byte[] applyTo(byte[] input) {
            int i = at % (input.length + 1);
            return concat(Arrays.copyOf(input, i), inserted, Arrays.copyOfRange(input, i, input.length));
        }

        @Override
        public String toString() {
            return "Insert[at=" + at + ", inserted=" + hex(inserted) + "]";
        }
    }

    record Drop(int at, int count) implements Edit {
        @Override
        public byte[] applyTo(byte[] input) {
            if (input.length == 0) {
                return input;
            }
            int i = at % input.length;
            int end = Math.min(input.length, i + count);
            return concat(Arrays.copyOf(input, i), Arrays.copyOfRange(input, end, input.length));
        }
    }

    /** Where to cut an input into reads: arbitrary positions, or one byte per read. */
    public static Arbitrary<List<Integer>> cuts() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(1, 400).list().ofMaxSize(16)),
                Tuple.of(1, Arbitraries.just(List.of(-1)))); // one byte per read
    }

    /** {@code input} as the reads that {@code cuts} describe (positions past its end are ignored). */
    public static List<byte[]> split(byte[] input, List<Integer> cuts) {
        List<byte[]> chunks = new ArrayList<>();
        if (cuts.equals(List.of(-1))) {
            for (byte b : input) {
                chunks.add(new byte[] {b});
            }
            return chunks;
        }
        TreeSet<Integer> at = new TreeSet<>();
        for (int cut : cuts) {
            if (cut > 0 && cut < input.length) {
                at.add(cut);
            }
        }
        int from = 0;
        for (int cut : at) {
            chunks.add(Arrays.copyOfRange(input, from, cut));
            from = cut;
        }
        chunks.add(Arrays.copyOfRange(input, from, input.length));
        return chunks;
    }

    /** The low byte of each value. */
    public static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** "05 00 ff". */
    public static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
