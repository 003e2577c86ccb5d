package dev.jxen.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes, read the xen-tools way: a number (decimals allowed, as in partitions.d's
 * {@code 1.5G}) and a unit k, M, G or T, optionally followed by B, in any case.
 */
public record Size(long bytes) {
    private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt])?b?", Pattern.CASE_INSENSITIVE);
    /** 16 TiB: far beyond any guest disk, far below an overflow. */
    public static final long MAX = 16L << 40;

    /**
     * Parses {@code text}. A bare number means mebibytes when {@code bareMeansMiB} (xen-tools' rule
     * for memory), and is refused otherwise (disk sizes need a unit, as in xen-tools).
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static Size parse(String text, boolean bareMeansMiB) {
        String t = text.strip();
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write a number and a unit, such as 512M or 4G");
        }
        String unit = m.group(2);
        if (unit == null && !bareMeansMiB) {
            throw new IllegalArgumentException("'" + text + "' has no unit; write for example " + t + "G or " + t + "M");
        }
        int shift = switch (unit == null ? "m" : unit.toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 40;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
        if (bytes.compareTo(BigDecimal.valueOf(MAX)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is larger than the 16T jxen accepts");
        }
        long b = bytes.longValue();
        if (b <= 0) {
            throw new IllegalArgumentException("'" + text + "' is zero; give a positive size");
        }
        return new Size(b);
    }

    public long mebibytes() {
        return bytes >> 20;
    }

    /** The size rounded up to whole mebibytes, the unit handed to lvcreate, truncate and xl. */
    public long mebibytesRoundedUp() {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    @Override
    public String toString() {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "G";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "M";
        }
        return (bytes >> 10) + "k";
    }
}
