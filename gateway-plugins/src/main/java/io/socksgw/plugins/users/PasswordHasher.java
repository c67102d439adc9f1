package io.socksgw.plugins.users;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes and verifies passwords in the two self-describing formats the {@code users} plugin stores:
 *
 * <ul>
 *   <li>bcrypt in the OpenBSD format, {@code $2a$}, {@code $2b$} or {@code $2y$} (all three verify
 *       alike; new hashes are written as {@code $2b$});
 *   <li>Argon2id in the PHC string format,
 *       {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<parallelism>$<salt>$<hash>}, salt and hash in
 *       unpadded standard Base64.
 * </ul>
 *
 * <p>Hashing and verifying are deliberately slow (tens to hundreds of milliseconds): never call them
 * on a network thread. Comparisons run in constant time. Instances are thread-safe.
 *
 * <p>The class is not final so that tests can observe which thread verifies.
 */
public class PasswordHasher {

    /** bcrypt reads at most this many bytes of a password and silently ignores the rest. */
    public static final int BCRYPT_MAX_PASSWORD_BYTES = 72;

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final Pattern ARGON2ID = Pattern.compile(
            "\\$argon2id\\$v=(\\d+)\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    private static final String BCRYPT_EXPECTED = "expected bcrypt as $2a$, $2b$ or $2y$, a two-digit cost"
            + " from 04 to 31, then 53 characters of [./A-Za-z0-9]";
    private static final String ARGON2ID_EXPECTED = "expected argon2id as"
            + " $argon2id$v=19$m=<KiB>,t=<iterations>,p=<parallelism>$<salt>$<hash>"
            + " (salt and hash in unpadded Base64)";

    private static final int BCRYPT_SALT_BYTES = 16;
    private static final int ARGON2_SALT_BYTES = 16;
    private static final int ARGON2_HASH_BYTES = 32;
    private static final int ARGON2_MIN_SALT_BYTES = 8;
    private static final int ARGON2_MAX_SALT_BYTES = 64;
    private static final int ARGON2_MIN_HASH_BYTES = 16;
    private static final int ARGON2_MAX_HASH_BYTES = 64;

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final SecureRandom random;

    /** A hasher drawing salts from a fresh {@link SecureRandom}. */
    public PasswordHasher() {
        this(new SecureRandom());
    }

    /** A hasher drawing salts from {@code random}. */
    public PasswordHasher(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A hash algorithm and its cost parameters.
     *
     * <p>The defaults are sized for a gateway that verifies a password on every connection: strong
     * enough for OWASP's current minimums, cheap enough (around 50-100 ms) not to exhaust the
     * blocking executor under a burst of connections.
     */
    public sealed interface Algorithm {

        /** bcrypt at cost 10, OWASP's minimum for bcrypt. */
        Algorithm BCRYPT_DEFAULT = new Bcrypt(10);

        /** Argon2id with 19 MiB, 2 iterations, 1 lane: OWASP's recommended minimum. */
        Algorithm ARGON2ID_DEFAULT = new Argon2id(19 * 1024, 2, 1);

        /**
         * bcrypt.
         *
         * @param cost the base-2 logarithm of the number of rounds, 4 to 31
         */
        record Bcrypt(int cost) implements Algorithm {
            public Bcrypt {
                if (cost < 4 || cost > 31) {
                    throw new IllegalArgumentException("bcrypt cost must be 4 to 31, was " + cost);
                }
            }
        }

        /**
         * Argon2id, version 0x13 (19).
         *
         * @param memoryKiB memory in KiB, at least 8 per lane and at most 1 GiB (the hash is
         *     computed on the heap, once per concurrent login)
         * @param iterations passes over the memory, at least 1
         * @param parallelism lanes, 1 to 255
         */
        record Argon2id(int memoryKiB, int iterations, int parallelism) implements Algorithm {

            /** The largest memory cost accepted, in KiB. */
            public static final int MAX_MEMORY_KIB = 1024 * 1024;

            public Argon2id {
                if (parallelism < 1 || parallelism > 255) {
                    throw new IllegalArgumentException("argon2id parallelism must be 1 to 255, was " + parallelism);
                }
                if (iterations < 1) {
                    throw new IllegalArgumentException("argon2id iterations must be at least 1, was " + iterations);
                }
                if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
                    throw new IllegalArgumentException("argon2id memory must be " + 8 * parallelism + " to "
                            + MAX_MEMORY_KIB + " KiB (8 KiB per lane, at most 1 GiB), was " + memoryKiB);
                }
            }
        }
    }

    /**
     * Hashes a password with a fresh random salt.
     *
     * @param password the password; not modified
     * @param algorithm the algorithm and its cost
     * @return the self-describing encoded hash
     * @throws IllegalArgumentException for bcrypt, if the password is longer than
     *     {@value #BCRYPT_MAX_PASSWORD_BYTES} bytes of UTF-8 (bcrypt would silently ignore the rest)
     */
    public String hash(char[] password, Algorithm algorithm) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(algorithm, "algorithm");
        if (algorithm instanceof Algorithm.Bcrypt bcrypt) {
            return hashBcrypt(password, bcrypt);
        }
        return hashArgon2id(password, (Algorithm.Argon2id) algorithm);
    }

    /**
     * Checks a password against an encoded hash, in constant time with respect to the password.
     *
     * @param password the password to check; not modified
     * @param encodedHash a hash as produced by {@link #hash} or a compatible tool
     * @return whether the password matches
     * @throws IllegalArgumentException if {@code encodedHash} is in neither supported format (see
     *     {@link #algorithmOf}, which validates it up front)
     */
    public boolean verify(char[] password, String encodedHash) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(encodedHash, "encodedHash");
        if (algorithmOf(encodedHash) instanceof Algorithm.Bcrypt) {
            // BouncyCastle recomputes the hash and compares every character without an early exit.
            return OpenBSDBCrypt.checkPassword(encodedHash, password);
        }
        Argon2Hash parsed = parseArgon2id(encodedHash);
        byte[] actual = argon2id(password, parsed.salt(), parsed.algorithm(), parsed.hash().length);
        try {
            return MessageDigest.isEqual(actual, parsed.hash());
        } finally {
            Arrays.fill(actual, (byte) 0);
        }
    }

    /**
     * Reads the algorithm and cost out of an encoded hash, validating its format.
     *
     * @throws IllegalArgumentException naming the expected format, if the hash is in neither
     *     supported format or its parameters are out of range
     */
    public Algorithm algorithmOf(String encodedHash) {
        Objects.requireNonNull(encodedHash, "encodedHash");
        if (encodedHash.startsWith("$2")) {
            Matcher bcrypt = BCRYPT.matcher(encodedHash);
            if (!bcrypt.matches()) {
                throw new IllegalArgumentException(BCRYPT_EXPECTED);
            }
            try {
                return new Algorithm.Bcrypt(Integer.parseInt(bcrypt.group(1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(BCRYPT_EXPECTED + "; " + e.getMessage(), e);
            }
        }
        if (encodedHash.startsWith("$argon2")) {
            return parseArgon2id(encodedHash).algorithm();
        }
        throw new IllegalArgumentException("unknown hash format; expected a bcrypt hash ($2a$, $2b$ or $2y$)"
                + " or an argon2id hash in PHC format ($argon2id$v=19$...), as printed by `bin/socksgw hash-password`");
    }

    private String hashBcrypt(char[] password, Algorithm.Bcrypt bcrypt) {
        byte[] utf8 = utf8(password);
        try {
            if (utf8.length > BCRYPT_MAX_PASSWORD_BYTES) {
                throw new IllegalArgumentException("bcrypt uses only the first " + BCRYPT_MAX_PASSWORD_BYTES
                        + " bytes of a password; use argon2id for longer passwords");
            }
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
        byte[] salt = new byte[BCRYPT_SALT_BYTES];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password, salt, bcrypt.cost());
    }

    private String hashArgon2id(char[] password, Algorithm.Argon2id argon2) {
        byte[] salt = new byte[ARGON2_SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = argon2id(password, salt, argon2, ARGON2_HASH_BYTES);
        try {
            return "$argon2id$v=19$m=" + argon2.memoryKiB() + ",t=" + argon2.iterations() + ",p="
                    + argon2.parallelism() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
        } finally {
            Arrays.fill(hash, (byte) 0);
        }
    }

    private static byte[] argon2id(char[] password, byte[] salt, Algorithm.Argon2id argon2, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(argon2.memoryKiB())
                .withIterations(argon2.iterations())
                .withParallelism(argon2.parallelism())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password, out); // UTF-8, like every other argon2 implementation
        return out;
    }

    private record Argon2Hash(Algorithm.Argon2id algorithm, byte[] salt, byte[] hash) {}

    private static Argon2Hash parseArgon2id(String encodedHash) {
        Matcher m = ARGON2ID.matcher(encodedHash);
        if (!m.matches()) {
            throw new IllegalArgumentException(ARGON2ID_EXPECTED);
        }
        if (!m.group(1).equals("19")) {
            throw new IllegalArgumentException(ARGON2ID_EXPECTED + "; version v=" + m.group(1) + " is not supported");
        }
        Algorithm.Argon2id algorithm;
        try {
            algorithm = new Algorithm.Argon2id(parameter(m.group(2)), parameter(m.group(3)), parameter(m.group(4)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ARGON2ID_EXPECTED + "; " + e.getMessage(), e);
        }
        byte[] salt = decode(m.group(5), "salt", ARGON2_MIN_SALT_BYTES, ARGON2_MAX_SALT_BYTES);
        byte[] hash = decode(m.group(6), "hash", ARGON2_MIN_HASH_BYTES, ARGON2_MAX_HASH_BYTES);
        return new Argon2Hash(algorithm, salt, hash);
    }

    /** Parses a decimal parameter; values beyond int range are clamped so range checks reject them. */
    private static int parameter(String digits) {
        return digits.length() > 10 ? Integer.MAX_VALUE : (int) Math.min(Long.parseLong(digits), Integer.MAX_VALUE);
    }

    private static byte[] decode(String base64, String what, int min, int max) {
        byte[] bytes;
        try {
            bytes = B64_DECODER.decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ARGON2ID_EXPECTED + "; the " + what + " is not valid Base64", e);
        }
        if (bytes.length < min || bytes.length > max) {
            throw new IllegalArgumentException(ARGON2ID_EXPECTED + "; the " + what + " must be " + min + " to " + max
                    + " bytes, was " + bytes.length);
        }
        return bytes;
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        // The encoder's buffer held the password too; don't leave it behind on the heap.
        Arrays.fill(encoded.array(), (byte) 0);
        return bytes;
    }
}
