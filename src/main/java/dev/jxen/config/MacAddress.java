package dev.jxen.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** An Ethernet address for a guest's vif. */
public record MacAddress(String text) {
    private static final Pattern FORM = Pattern.compile("([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}");

    public static MacAddress parse(String text) {
        if (!FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address; write six hex pairs such as 00:16:3E:12:34:56");
        }
        int first = Integer.parseInt(text.substring(0, 2), 16);
        if ((first & 1) != 0) {
            throw new IllegalArgumentException("'" + text + "' is a multicast address; a vif needs a unicast one (even first byte)");
        }
        return new MacAddress(text.toUpperCase(Locale.ROOT));
    }

    /**
     * The address xen-tools 4.9.2 derives from a guest's definition, so that the same guest keeps
     * its DHCP reservation: {@code 00:16:3E:} and the first three bytes of MD5(hostname + the IPs
     * joined by ',', or "1" for DHCP, + dist).
     */
    public static MacAddress derived(String hostname, String ipsOrDhcp, String dist) {
        try {
            byte[] d = MessageDigest.getInstance("MD5")
                    .digest((hostname + ipsOrDhcp + dist).getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().withUpperCase().formatHex(d, 0, 3);
            return new MacAddress("00:16:3E:" + hex.substring(0, 2) + ":" + hex.substring(2, 4) + ":" + hex.substring(4, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random address in Xen's 00:16:3E range. */
    public static MacAddress random() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return new MacAddress(String.format("00:16:3E:%02X:%02X:%02X", b[0] & 0x7f, b[1] & 0xff, b[2] & 0xff));
    }

    @Override
    public String toString() {
        return text;
    }
}
