package dev.jxen.contact;

import dev.jxen.customize.HostKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * known_hosts lines with the host name hashed, as {@code ssh-keygen -H} and {@code HashKnownHosts}
 * write them: {@code |1|base64(salt)|base64(HMAC-SHA1(salt, host))| TYPE BASE64}, where host is the
 * address, or {@code [address]:port} off port 22.
 */
public final class KnownHosts {
    private KnownHosts() {
    }

    /** The name ssh looks the host up by. */
    public static String hostName(String address, int port) {
        return port == 22 ? address : "[" + address + "]:" + port;
    }

    public static List<String> lines(String hostName, List<HostKey> keys, SecureRandom random) {
        return keys.stream().map(k -> {
            byte[] salt = new byte[20];
            random.nextBytes(salt);
            return "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hmac(salt, hostName))
                    + " " + k.type() + " " + k.base64();
        }).toList();
    }

    /** Whether a line names this host, hashed or in the clear (as ssh-keygen -R finds it). */
    public static boolean names(String line, String hostName) {
        String first = line.strip().split("\\s+", 2)[0];
        if (first.startsWith("|1|")) {
            String[] f = first.split("\\|");
            if (f.length != 4) {
                return false;
            }
            try {
                byte[] salt = Base64.getDecoder().decode(f[2]);
                return java.security.MessageDigest.isEqual(Base64.getDecoder().decode(f[3]), hmac(salt, hostName));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return List.of(first.split(",")).contains(hostName);
    }

    private static byte[] hmac(byte[] salt, String hostName) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return mac.doFinal(hostName.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
