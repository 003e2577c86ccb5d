package dev.jxen.xen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pvgrub2 image of grub-xen-host. Its GRUB version is read from the image itself (GRUB keeps its
 * package version as a string in its kernel, e.g. {@code 2.06-13+deb12u2}), because the image is
 * what boots the guest, whichever package or directory it came from.
 */
public final class GrubXenImage {
    /** A NUL-delimited string that is a GRUB version: 2.NN, with a packaging revision or none. */
    private static final Pattern VERSION = Pattern.compile("\0(2\\.[0-9]{2}(?:[-~+][0-9A-Za-z.+~-]*)?)\0");
    private static final long MAX_BYTES = 64L << 20;

    private GrubXenImage() {
    }

    /** The GRUB version of the image, or empty when the file cannot be read or names none. */
    public static Optional<String> version(Path image) {
        try (InputStream in = Files.newInputStream(image)) {
            byte[] bytes = in.readNBytes((int) Math.min(MAX_BYTES, Files.size(image)));
            Matcher m = VERSION.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
