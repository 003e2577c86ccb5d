package dev.jxen.system;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rewrites a line-based system file (shadow, passwd, hosts) so that a reader never sees half of it. */
public final class TextFiles {
    /** Java's file locks belong to the whole JVM: threads of one run take turns here first. */
    private static final Object IN_THIS_JVM = new Object();

    private TextFiles() {
    }

    /** A change of a file's lines: the new lines, or empty to leave the file as it is. */
    @FunctionalInterface
    public interface LinesChange {
        Optional<List<String>> apply(List<String> lines) throws IOException;
    }

    /**
     * Reads, changes and rewrites a file shared with other runs (the dom0's hosts) under an
     * exclusive lock, so that two runs editing it at once cannot lose each other's line. The lock
     * is a file of its own beside it ({@code .hosts.jxen-lock}, as shadow's {@code /etc/.pwd.lock}),
     * since a rewrite renames a new file over the old one.
     */
    public static void edit(Path file, LinesChange change) throws IOException {
        Path lockFile = file.resolveSibling("." + file.getFileName() + ".jxen-lock");
        synchronized (IN_THIS_JVM) {
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                Optional<List<String>> changed = change.apply(Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>());
                if (changed.isPresent()) {
                    replaceLines(file, changed.get());
                }
            }
        }
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
