package dev.jxen.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mounting and unmounting, and reading what is mounted. */
public final class Mounts {
    private Mounts() {
    }

    /** Where guests are mounted while being built: {@code JXEN_WORK_DIR}, or /run/jxen. */
    public static Path workDir() {
        String d = System.getenv("JXEN_WORK_DIR");
        return Path.of(d != null ? d : "/run/jxen");
    }

    /**
     * Unmounts {@code at}. If it is busy (a daemon a hook left running in the chroot), retries once
     * after a second, then detaches it lazily so that the loop device is freed as soon as it can be.
     */
    public static void unmount(CommandRunner runner, Path at) throws IOException {
        if (!isMounted(at)) {
            return;
        }
        CommandResult r = runner.run(Command.of("umount", at.toString()), l -> { });
        if (r.ok()) {
            return;
        }
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r = runner.run(Command.of("umount", at.toString()), l -> { });
        if (!r.ok()) {
            runner.check(Command.of("umount", "--lazy", at.toString()), l -> { });
        }
    }

    /** Mount points at or under {@code dir}, from /proc/self/mounts. */
    public static List<Path> under(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 1) {
                Path p = Path.of(f[1].replace("\\040", " "));
                if (p.startsWith(dir)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    public static boolean isMounted(Path at) throws IOException {
        return under(at).contains(at);
    }
}
