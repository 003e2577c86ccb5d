package dev.jxen.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Rewrites a line-based system file (shadow, passwd, hosts) so that a reader never sees half of it. */
public final class TextFiles {
    private TextFiles() {
    }

    /**
     * Writes {@code lines} to a temporary sibling with the file's mode and group, then renames it
     * over the file. A file that cannot be renamed over (a bind mount, as /etc/hosts in a
     * container) is rewritten in place instead.
     */
    public static void replaceLines(Path file, List<String> lines) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".jxen-new");
        Files.write(tmp, lines);
        if (Files.exists(file)) {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            Files.setAttribute(tmp, "unix:gid", Files.getAttribute(file, "unix:gid"));
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.write(file, lines);
            Files.deleteIfExists(tmp);
        }
    }
}
