package io.socksgw.plugins.users;

/** Cheap hashes for tests, computed once per JVM. */
final class TestHashes {

    private static final PasswordHasher HASHER = new PasswordHasher();

    /** alice's password, "wonderland", as bcrypt at cost 4. */
    static final String ALICE_BCRYPT = HASHER.hash("wonderland".toCharArray(), PasswordHasherTest.FAST_BCRYPT);

    /** bob's password, "builder", as argon2id with 256 KiB and one pass. */
    static final String BOB_ARGON2ID = HASHER.hash("builder".toCharArray(), PasswordHasherTest.FAST_ARGON2ID);

    private TestHashes() {}
}
