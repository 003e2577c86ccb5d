package dev.jxen.customize;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigInteger;

/**
 * The line {@code ssh-keygen -l} prints for a public key ({@code 3072 SHA256:... root@web1 (RSA)}),
 * computed from the key itself: the SHA-256 of the key blob, unpadded base64, with the key's size.
 */
final class SshFingerprint {
    private SshFingerprint() {
    }

    /** @param publicKeyLine the .pub file's line: type, base64 blob, comment */
    static String of(String publicKeyLine) throws IOException {
        HostKey key = HostKey.parse(publicKeyLine).orElseThrow(() -> new IOException("not an OpenSSH public key: " + publicKeyLine));
        String[] f = publicKeyLine.strip().split("\\s+", 3);
        String comment = f.length > 2 ? f[2] : "no comment";
        return bits(key.type(), key.blob()) + " " + HostKey.fingerprint(key.blob()) + " " + comment + " (" + label(key.type()) + ")";
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
