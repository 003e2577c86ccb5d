package dev.jxen.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a file jxen takes as input (a configuration, a .cfg, a key list, a journal) only when it is a
 * plain file (after a link), and never more than a bound: a FIFO, a device or /dev/zero named where a
 * file belongs is refused, not read until memory runs out or forever.
 */
public final class BoundedFiles {
    /** The bound of a configuration-sized file. */
    public static final long CONFIG = 1L << 20;

    private BoundedFiles() {
    }

    /** Thrown for a file that is not a plain file or is larger than its bound. */
    public static final class NotAFileException extends IOException {
        private static final long serialVersionUID = 1L;

        NotAFileException(String message) {
            super(message);
        }
    }

    public static String readString(Path file, long max) throws IOException {
        return new String(readBytes(file, max), StandardCharsets.UTF_8);
    }

    public static byte[] readBytes(Path file, long max) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NotAFileException(file + " is not a plain file" + (Files.exists(file) ? "" : " (it does not exist)"));
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (b.length > max) {
                throw new NotAFileException(file + " is larger than " + (max >= 1 << 20 ? (max >> 20) + " MiB" : (max >> 10) + " KiB")
                        + ", which is not the file it should be");
            }
            return b;
        }
    }

    public static List<String> readLines(Path file, long max) throws IOException {
        return readString(file, max).lines().toList();
    }
}
