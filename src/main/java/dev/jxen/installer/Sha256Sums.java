package dev.jxen.installer;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The installer's {@code images/SHA256SUMS}, read once its own hash was checked against the signed Release. */
public record Sha256Sums(String text) {
    private static final Pattern LINE = Pattern.compile("^([0-9a-f]{64})\\s+\\*?(\\S+)$");

    /** The hash of {@code path} as the file writes it ({@code ./netboot/xen/vmlinuz}). */
    public Optional<String> of(String path) {
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches() && m.group(2).equals(path)) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
