package dev.jxen.customize;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * An SSH public host key as a {@code .pub} file holds it: its type and the key blob (the wire format
 * that a server presents in its key exchange and a known_hosts line carries in base64).
 */
public record HostKey(String type, byte[] blob) {
    /** Parses "TYPE BASE64 [COMMENT]"; empty for anything else. */
    public static Optional<HostKey> parse(String pubLine) {
        String[] f = pubLine.strip().split("\\s+");
        if (f.length < 2 || !f[0].matches("[a-z0-9@.-]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new HostKey(f[0], Base64.getDecoder().decode(f[1])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static List<HostKey> parseAll(List<String> pubLines) {
        return pubLines.stream().map(HostKey::parse).flatMap(Optional::stream).toList();
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(blob);
    }

    /** Whether a key presented by a server is this one. */
    public boolean sameAs(byte[] presented) {
        return Arrays.equals(blob, presented);
    }

    /** As ssh-keygen -l prints it: SHA256: and the unpadded base64 of the blob's SHA-256. */
    public static String fingerprint(byte[] blob) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostKey k && k.type.equals(type) && Arrays.equals(k.blob, blob);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(blob);
    }

    @Override
    public String toString() {
        return type + " " + fingerprint(blob);
    }
}
