package dev.jxen.system;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which processes hold a file open, read from /proc as fuser(1) does: what a mount or a loop device does not show (QEMU's disk backend). */
public final class OpenFiles {
    private OpenFiles() {
    }

    /** The PIDs with an open descriptor on {@code real} (a real path), this process excepted. */
    public static List<Long> holders(Path real) {
        return holders(Path.of("/proc"), real);
    }

    static List<Long> holders(Path proc, Path real) {
        List<Long> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path pid : pids) {
                long n = Long.parseLong(pid.getFileName().toString());
                if (n != self && holds(pid.resolve("fd"), real)) {
                    out.add(n);
                }
            }
        } catch (IOException e) {
            // no /proc to read: nothing more is known than the mounts and loop devices tell
        }
        return out;
    }

    private static boolean holds(Path fds, Path real) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(fds)) {
            for (Path fd : s) {
                try {
                    if (Files.readSymbolicLink(fd).equals(real)) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            // the process ended, or its descriptors are not ours to read
        }
        return false;
    }
}
