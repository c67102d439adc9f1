package io.socksgw.plugins.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.socksgw.plugins.users.PasswordHasher.Algorithm;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    /** The cheapest costs the formats allow, so the tests stay fast. */
    static final Algorithm FAST_BCRYPT = new Algorithm.Bcrypt(4);

    static final Algorithm FAST_ARGON2ID = new Algorithm.Argon2id(256, 1, 1);

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void roundTripsBcryptInTheOpenBsdFormat() {
        String hash = hasher.hash("correct horse".toCharArray(), FAST_BCRYPT);

        assertThat(hash).matches("\\$2b\\$04\\$[./A-Za-z0-9]{53}");
        assertThat(hasher.verify("correct horse".toCharArray(), hash)).isTrue();
    }

    @Test
    void roundTripsArgon2idInThePhcFormat() {
        String hash = hasher.hash("correct horse".toCharArray(), FAST_ARGON2ID);

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=256,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("correct horse".toCharArray(), hash)).isTrue();
    }

    @Test
    void rejectsWrongPasswordForEitherAlgorithm() {
        String bcrypt = hasher.hash("correct horse".toCharArray(), FAST_BCRYPT);
        String argon2 = hasher.hash("correct horse".toCharArray(), FAST_ARGON2ID);

        assertThat(hasher.verify("correct horsE".toCharArray(), bcrypt)).isFalse();
        assertThat(hasher.verify("correct horsE".toCharArray(), argon2)).isFalse();
        assertThat(hasher.verify(new char[0], bcrypt)).isFalse();
        assertThat(hasher.verify(new char[0], argon2)).isFalse();
    }

    @Test
    void roundTripsNonAsciiPasswordsAsUtf8() {
        char[] password = "пароль-密码".toCharArray();

        assertThat(hasher.verify(password, hasher.hash(password, FAST_BCRYPT))).isTrue();
        assertThat(hasher.verify(password, hasher.hash(password, FAST_ARGON2ID))).isTrue();
    }

    @Test
    void saltsEveryHashDifferently() {
        assertThat(hasher.hash("same".toCharArray(), FAST_BCRYPT))
                .isNotEqualTo(hasher.hash("same".toCharArray(), FAST_BCRYPT));
        assertThat(hasher.hash("same".toCharArray(), FAST_ARGON2ID))
                .isNotEqualTo(hasher.hash("same".toCharArray(), FAST_ARGON2ID));
    }

    @Test
    void leavesThePasswordArrayUntouched() {
        char[] password = "secret".toCharArray();
        String hash = hasher.hash(password, FAST_ARGON2ID);
        hasher.verify(password, hash);

        assertThat(password).containsExactly("secret".toCharArray());
    }

    @Test
    void verifiesTheBcryptVectorsOfTheReferenceImplementationInAllThreePrefixes() {
        // Openwall crypt_blowfish test vector; for ASCII passwords $2a$, $2b$ and $2y$ hash alike.
        String hash = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

        for (String prefix : new String[] {"$2a$", "$2b$", "$2y$"}) {
            String variant = prefix + hash.substring(4);
            assertThat(hasher.verify("U*U".toCharArray(), variant)).as(variant).isTrue();
            assertThat(hasher.verify("U*U*".toCharArray(), variant)).as(variant).isFalse();
        }
    }

    @Test
    void verifiesTheArgon2idVectorsOfTheReferenceImplementation() {
        // phc-winner-argon2's own test vectors: password "password", salt "somesalt".
        assertThat(hasher.verify("password".toCharArray(),
                "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")).isTrue();
        assertThat(hasher.verify("password".toCharArray(),
                "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc")).isTrue();
        assertThat(hasher.verify("passwore".toCharArray(),
                "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")).isFalse();
    }

    @Test
    void readsTheAlgorithmAndCostOutOfAHash() {
        assertThat(hasher.algorithmOf("$2y$12$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"))
                .isEqualTo(new Algorithm.Bcrypt(12));
        assertThat(hasher.algorithmOf(
                        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"))
                .isEqualTo(new Algorithm.Argon2id(65536, 2, 1));
    }

    @Test
    void refusesHashesInNeitherFormatSayingWhatWasExpected() {
        assertThatIllegalArgumentException().isThrownBy(() -> hasher.algorithmOf("hunter2"))
                .withMessageContaining("expected a bcrypt hash")
                .withMessageContaining("argon2id");
        assertThatIllegalArgumentException().isThrownBy(() -> hasher.algorithmOf("$1$saltsalt$hash"))
                .withMessageContaining("unknown hash format");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> hasher.verify("x".toCharArray(), "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="));
    }

    @Test
    void refusesMalformedBcryptHashes() {
        String valid = "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

        for (String bad : new String[] {
            valid.replace("$2b$", "$2x$"), // the buggy-era prefix, never produced by sane tools
            valid.replace("$05$", "$03$"), // below bcrypt's minimum cost
            valid.replace("$05$", "$32$"),
            valid.substring(0, valid.length() - 1), // truncated
            valid + "A",
        }) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> hasher.algorithmOf(bad))
                    .withMessageContaining("expected bcrypt");
        }
    }

    @Test
    void refusesMalformedArgon2idHashes() {
        String salt = "c29tZXNhbHQ";
        String hash = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

        for (String bad : new String[] {
            "$argon2i$v=19$m=65536,t=2,p=1$" + salt + "$" + hash, // argon2i, not argon2id
            "$argon2id$v=16$m=65536,t=2,p=1$" + salt + "$" + hash, // the old version
            "$argon2id$m=65536,t=2,p=1$" + salt + "$" + hash, // no version
            "$argon2id$v=19$m=4,t=2,p=1$" + salt + "$" + hash, // less than 8 KiB per lane
            "$argon2id$v=19$m=65536,t=0,p=1$" + salt + "$" + hash,
            "$argon2id$v=19$m=65536,t=2,p=0$" + salt + "$" + hash,
            "$argon2id$v=19$m=99999999999,t=2,p=1$" + salt + "$" + hash,
            "$argon2id$v=19$m=65536,t=2,p=1$c29t$" + hash, // 3-byte salt
            "$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$c29tZXNhbHQ", // 8-byte hash
            "$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$A", // not Base64
            "$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$" + hash + "==", // padded
        }) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> hasher.algorithmOf(bad))
                    .withMessageContaining("expected argon2id as $argon2id$v=19$m=<KiB>");
        }
    }

    @Test
    void refusesToHashForBcryptWhatBcryptWouldTruncate() {
        char[] seventyThree = "x".repeat(73).toCharArray();

        assertThatIllegalArgumentException().isThrownBy(() -> hasher.hash(seventyThree, FAST_BCRYPT))
                .withMessageContaining("72 bytes")
                .withMessageContaining("argon2id");
        assertThat(hasher.verify(seventyThree, hasher.hash(seventyThree, FAST_ARGON2ID))).isTrue();
    }

    @Test
    void refusesCostParametersOutsideTheirRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Algorithm.Bcrypt(3));
        assertThatIllegalArgumentException().isThrownBy(() -> new Algorithm.Argon2id(15, 1, 2));
        assertThatIllegalArgumentException().isThrownBy(() -> new Algorithm.Argon2id(256, 0, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new Algorithm.Argon2id(256, 1, 256));
    }
}
