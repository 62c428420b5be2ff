package com.posthog.flink.plugin.runtime;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;

/**
 * The Java half of the {@code crypto} module: digests and HMACs with {@link MessageDigest}, random
 * bytes from {@link SecureRandom}. The JavaScript half ({@link CryptoScript}) gives them Node's
 * API.
 *
 * <p>HMAC is computed here from its definition (RFC 2104) rather than with {@code
 * javax.crypto.Mac}, which refuses the empty key that Node accepts.
 */
final class HostCrypto {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Node's names (lowercase; OpenSSL's are case-insensitive) to the JDK's, with the block size
     * HMAC needs.
     */
    private static final Map<String, Algorithm> ALGORITHMS =
            Map.ofEntries(
                    Map.entry("md5", new Algorithm("MD5", 64)),
                    Map.entry("sha1", new Algorithm("SHA-1", 64)),
                    Map.entry("sha224", new Algorithm("SHA-224", 64)),
                    Map.entry("sha256", new Algorithm("SHA-256", 64)),
                    Map.entry("sha384", new Algorithm("SHA-384", 128)),
                    Map.entry("sha512", new Algorithm("SHA-512", 128)),
                    Map.entry("sha512-224", new Algorithm("SHA-512/224", 128)),
                    Map.entry("sha512-256", new Algorithm("SHA-512/256", 128)),
                    Map.entry("sha3-224", new Algorithm("SHA3-224", 144)),
                    Map.entry("sha3-256", new Algorithm("SHA3-256", 136)),
                    Map.entry("sha3-384", new Algorithm("SHA3-384", 104)),
                    Map.entry("sha3-512", new Algorithm("SHA3-512", 72)),
                    Map.entry("rsa-md5", new Algorithm("MD5", 64)),
                    Map.entry("rsa-sha1", new Algorithm("SHA-1", 64)),
                    Map.entry("rsa-sha256", new Algorithm("SHA-256", 64)),
                    Map.entry("rsa-sha384", new Algorithm("SHA-384", 128)),
                    Map.entry("rsa-sha512", new Algorithm("SHA-512", 128)),
                    Map.entry("sha-1", new Algorithm("SHA-1", 64)),
                    Map.entry("sha-256", new Algorithm("SHA-256", 64)),
                    Map.entry("sha-384", new Algorithm("SHA-384", 128)),
                    Map.entry("sha-512", new Algorithm("SHA-512", 128)));

    /** The names {@code crypto.getHashes()} lists. */
    static final String[] HASHES = {
        "md5",
        "sha1",
        "sha224",
        "sha256",
        "sha384",
        "sha512",
        "sha512-224",
        "sha512-256",
        "sha3-224",
        "sha3-256",
        "sha3-384",
        "sha3-512"
    };

    private record Algorithm(String jdkName, int blockSize) {}

    private HostCrypto() {}

    /**
     * A running digest, or an HMAC when {@code hmacKey} is not null.
     *
     * @throws IllegalArgumentException {@code Digest method not supported} for an unknown name
     */
    static Digest digest(String name, byte[] hmacKey) {
        Algorithm algorithm = ALGORITHMS.get(name.toLowerCase(Locale.ROOT));
        if (algorithm == null) {
            throw new IllegalArgumentException("Digest method not supported");
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm.jdkName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("Digest method not supported", e);
        }
        return new Digest(digest, hmacKey == null ? null : hmacPads(digest, hmacKey, algorithm));
    }

    private static byte[][] hmacPads(MessageDigest digest, byte[] key, Algorithm algorithm) {
        byte[] block = new byte[algorithm.blockSize()];
        byte[] shortKey = key.length > block.length ? digest.digest(key) : key;
        System.arraycopy(shortKey, 0, block, 0, shortKey.length);
        byte[] inner = new byte[block.length];
        byte[] outer = new byte[block.length];
        for (int i = 0; i < block.length; i++) {
            inner[i] = (byte) (block[i] ^ 0x36);
            outer[i] = (byte) (block[i] ^ 0x5c);
        }
        digest.reset();
        digest.update(inner);
        return new byte[][] {inner, outer};
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A digest in progress: {@code update} any number of times, then {@code finish} once. */
    static final class Digest {

        private final MessageDigest digest;

        /** The HMAC's inner and outer padded keys, or null for a plain digest. */
        private final byte[][] pads;

        private Digest(MessageDigest digest, byte[][] pads) {
            this.digest = digest;
            this.pads = pads;
        }

        void update(byte[] bytes) {
            digest.update(bytes);
        }

        byte[] finish() {
            byte[] result = digest.digest();
            if (pads != null) {
                digest.update(pads[1]);
                result = digest.digest(result);
            }
            return result;
        }

        /** An independent digest with the same input so far ({@code hash.copy()}). */
        Digest copy() {
            try {
                return new Digest((MessageDigest) digest.clone(), pads);
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("Digest cannot be copied", e);
            }
        }
    }
}
