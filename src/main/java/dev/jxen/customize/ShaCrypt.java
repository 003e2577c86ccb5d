package dev.jxen.customize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * SHA-256 and SHA-512 crypt ({@code $5$}, {@code $6$}), as glibc's crypt(3) makes them, so that the
 * root password is hashed inside jxen and never passed to another program. Follows Ulrich
 * Drepper's specification ("Unix crypt using SHA-256 and SHA-512"), with the default 5000 rounds.
 */
public final class ShaCrypt {
    private static final String ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int ROUNDS = 5000;

    private ShaCrypt() {
    }

    /** Hashes with a fresh random 16-character salt. {@code method} is sha512 or sha256. */
    public static String hash(String password, String method) {
        SecureRandom r = new SecureRandom();
        StringBuilder salt = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            salt.append(ITOA64.charAt(r.nextInt(64)));
        }
        return hash(password, method, salt.toString());
    }

    public static String hash(String password, String method, String salt) {
        boolean sha512 = method.equals("sha512");
        String alg = sha512 ? "SHA-512" : "SHA-256";
        int len = sha512 ? 64 : 32;
        byte[] key = password.getBytes(StandardCharsets.UTF_8);
        byte[] s = salt.getBytes(StandardCharsets.UTF_8);
        MessageDigest a = digest(alg);
        a.update(key);
        a.update(s);
        MessageDigest b = digest(alg);
        b.update(key);
        b.update(s);
        b.update(key);
        byte[] bRes = b.digest();
        int k;
        for (k = key.length; k > len; k -= len) {
            a.update(bRes, 0, len);
        }
        a.update(bRes, 0, k);
        for (k = key.length; k > 0; k >>= 1) {
            if ((k & 1) != 0) {
                a.update(bRes, 0, len);
            } else {
                a.update(key);
            }
        }
        byte[] aRes = a.digest();
        MessageDigest dp = digest(alg);
        for (int i = 0; i < key.length; i++) {
            dp.update(key);
        }
        byte[] dpRes = dp.digest();
        byte[] p = new byte[key.length];
        for (int i = 0; i < key.length; i++) {
            p[i] = dpRes[i % len];
        }
        MessageDigest ds = digest(alg);
        for (int i = 0; i < 16 + (aRes[0] & 0xff); i++) {
            ds.update(s);
        }
        byte[] dsRes = ds.digest();
        byte[] sBytes = new byte[s.length];
        for (int i = 0; i < s.length; i++) {
            sBytes[i] = dsRes[i % len];
        }
        byte[] c = aRes;
        MessageDigest cd = digest(alg); // digest() resets it for the next round
        for (int i = 0; i < ROUNDS; i++) {
            if ((i & 1) != 0) {
                cd.update(p);
            } else {
                cd.update(c, 0, len);
            }
            if (i % 3 != 0) {
                cd.update(sBytes);
            }
            if (i % 7 != 0) {
                cd.update(p);
            }
            if ((i & 1) != 0) {
                cd.update(c, 0, len);
            } else {
                cd.update(p);
            }
            c = cd.digest();
        }
        StringBuilder out = new StringBuilder(sha512 ? "$6$" : "$5$").append(salt).append('$');
        if (sha512) {
            int[][] order = {{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4}, {47, 5, 26}, {6, 27, 48},
                {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32}, {12, 33, 54}, {34, 55, 13},
                {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19}, {62, 20, 41}};
            for (int[] o : order) {
                b64(out, c[o[0]], c[o[1]], c[o[2]], 4);
            }
            b64(out, (byte) 0, (byte) 0, c[63], 2);
        } else {
            int[][] order = {{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14}, {15, 25, 5}, {6, 16, 26},
                {27, 7, 17}, {18, 28, 8}, {9, 19, 29}};
            for (int[] o : order) {
                b64(out, c[o[0]], c[o[1]], c[o[2]], 4);
            }
            b64(out, (byte) 0, c[31], c[30], 3);
        }
        return out.toString();
    }

    private static void b64(StringBuilder out, byte b2, byte b1, byte b0, int n) {
        int w = ((b2 & 0xff) << 16) | ((b1 & 0xff) << 8) | (b0 & 0xff);
        for (int i = 0; i < n; i++) {
            out.append(ITOA64.charAt(w & 0x3f));
            w >>>= 6;
        }
    }

    private static MessageDigest digest(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
