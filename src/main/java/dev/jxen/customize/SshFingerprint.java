package dev.jxen.customize;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The line {@code ssh-keygen -l} prints for a public key ({@code 3072 SHA256:... root@web1 (RSA)}),
 * computed from the key itself: the SHA-256 of the key blob, unpadded base64, with the key's size.
 */
final class SshFingerprint {
    private SshFingerprint() {
    }

    /** @param publicKeyLine the .pub file's line: type, base64 blob, comment */
    static String of(String publicKeyLine) throws IOException {
        String[] f = publicKeyLine.strip().split(" ", 3);
        if (f.length < 2) {
            throw new IOException("not an OpenSSH public key: " + publicKeyLine);
        }
        byte[] blob = Base64.getDecoder().decode(f[1]);
        String hash;
        try {
            hash = Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String comment = f.length > 2 ? f[2] : "no comment";
        return bits(f[0], blob) + " SHA256:" + hash + " " + comment + " (" + label(f[0]) + ")";
    }

    private static int bits(String type, byte[] blob) throws IOException {
        return switch (type) {
            case "ssh-ed25519" -> 256;
            case "ecdsa-sha2-nistp256" -> 256;
            case "ecdsa-sha2-nistp384" -> 384;
            case "ecdsa-sha2-nistp521" -> 521;
            case "ssh-rsa" -> {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob));
                field(in);
                field(in);
                yield new BigInteger(field(in)).bitLength();
            }
            default -> throw new IOException("a host key of a type jxen does not make: " + type);
        };
    }

    private static String label(String type) {
        return type.startsWith("ecdsa-") ? "ECDSA" : type.equals("ssh-rsa") ? "RSA" : "ED25519";
    }

    /** One length-prefixed field of the SSH wire format (RFC 4251). */
    private static byte[] field(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 16384) {
            throw new IOException("a key field of " + n + " bytes");
        }
        return in.readNBytes(n);
    }
}
