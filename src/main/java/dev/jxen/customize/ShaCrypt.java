package dev.jxen.customize;

import org.apache.commons.codec.digest.Sha2Crypt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * SHA-256 and SHA-512 crypt ({@code $5$}, {@code $6$}), as glibc's crypt(3) makes them, so that the
 * root password is hashed inside jxen and never passed to another program: Commons Codec's
 * {@link Sha2Crypt} (Drepper's specification, 5000 rounds), with a 16-character salt from
 * {@link SecureRandom}.
 */
public final class ShaCrypt {
    private static final String ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ShaCrypt() {
    }

    /** Hashes with a fresh random 16-character salt. {@code method} is sha512 or sha256. */
    public static String hash(String password, String method) {
        StringBuilder salt = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            salt.append(ITOA64.charAt(RANDOM.nextInt(64)));
        }
        return hash(password, method, salt.toString());
    }

    /** Hashes with {@code salt} (up to 16 characters of {@code [./0-9A-Za-z]}). */
    public static String hash(String password, String method, String salt) {
        byte[] key = password.getBytes(StandardCharsets.UTF_8);
        return method.equals("sha512") ? Sha2Crypt.sha512Crypt(key, "$6$" + salt) : Sha2Crypt.sha256Crypt(key, "$5$" + salt);
    }
}
