package dev.jxen.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Mounting and unmounting, and reading what is mounted. */
public final class Mounts {
    private Mounts() {
    }

    /** How long an unmount waits for other mount namespaces to let go of the filesystem. */
    public static final Duration RELEASE_WAIT = Duration.ofSeconds(60);

    /**
     * Unmounts {@code at}, a canonical path as it was mounted. If it is busy (a daemon a hook left
     * running), retries once after a second, then detaches it lazily so that the loop device is freed
     * as soon as it can be. Returns when the filesystem is gone from every mount namespace, so that
     * what follows (a check, a copy, a delete) sees it complete; fails when another namespace still
     * holds it after {@link #RELEASE_WAIT}.
     */
    public static void unmount(CommandRunner runner, Path at) throws IOException {
        unmount(runner, at, RELEASE_WAIT);
    }

    /** {@link #unmount(CommandRunner, Path)}, waiting at most {@code wait} for other namespaces. */
    public static void unmount(CommandRunner runner, Path at, Duration wait) throws IOException {
        Optional<MountedFilesystem> fs = MountedFilesystem.at(at);
        if (fs.isEmpty()) {
            return;
        }
        detach(runner, at);
        fs.get().awaitReleased(wait);
    }

    private static void detach(CommandRunner runner, Path at) throws IOException {
        Command umount = Command.of("umount", "--no-canonicalize", at.toString());
        CommandResult r = runner.run(umount, l -> { });
        if (r.ok()) {
            return;
        }
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r = runner.run(umount, l -> { });
        if (!r.ok()) {
            runner.check(Command.of("umount", "--no-canonicalize", "--lazy", at.toString()), l -> { });
        }
    }

    /** Every mount point, from /proc/self/mounts, in mount order. */
    public static List<Path> all() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 1) {
                out.add(Path.of(decode(f[1])));
            }
        }
        return out;
    }

    /** Mount points at or under {@code dir}. */
    public static List<Path> under(Path dir) throws IOException {
        return all().stream().filter(p -> p.startsWith(dir)).toList();
    }

    public static boolean isMounted(Path at) throws IOException {
        return all().contains(at);
    }

    /** The kernel writes space, tab, newline and backslash in mount paths as octal escapes. */
    static String decode(String field) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
