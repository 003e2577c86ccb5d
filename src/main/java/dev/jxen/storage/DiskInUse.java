package dev.jxen.storage;

import dev.jxen.system.BoundedFiles;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.MountedFilesystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who holds one disk of a guest now, read from the kernel just before jxen would cut it back: a loop
 * device on an image file, a process with the file or the device open (a guest's qemu, a shell), a mount
 * of it in any mount namespace, a device stacked on it, a logical volume LVM calls open (a guest's blkback).
 * A disk whose node does not exist (an inactive volume) is held by nothing.
 */
final class DiskInUse {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private DiskInUse() {
    }

    /** What holds {@code disk}, one reason each; empty when nothing does. */
    static List<String> reasons(GuestStorage.Owned disk, String device, CommandRunner runner) throws IOException {
        Path node = Path.of(device);
        if (!Files.exists(node)) {
            return List.of();
        }
        Path real = node.toRealPath();
        List<String> out = new ArrayList<>();
        if (disk instanceof GuestStorage.ImageFile) {
            Map<String, Object> id = Files.readAttributes(real, "unix:dev,ino");
            out.addAll(loops(real));
            out.addAll(openBy(a -> id.get("dev").equals(a.get("dev")) && id.get("ino").equals(a.get("ino")), "unix:dev,ino", device));
            return out;
        }
        Object rdev = Files.getAttribute(real, "unix:rdev");
        String number = major((long) rdev) + ":" + minor((long) rdev);
        out.addAll(openBy(a -> isBlock(a) && rdev.equals(a.get("rdev")), "unix:rdev,mode", device));
        MountedFilesystem.mountsOf(number, Set.of(device, real.toString())).forEach(m -> out.add(device + " is mounted by process " + m));
        Path holders = Path.of("/sys/dev/block", number, "holders");
        if (Files.isDirectory(holders)) {
            try (Stream<Path> s = Files.list(holders)) {
                s.forEach(h -> out.add(device + " holds the device " + h.getFileName() + " stacked on it"));
            }
        }
        if (disk instanceof GuestStorage.LogicalVolume v) {
            CommandResult r = runner.run(Command.of("lvs", "--noheadings", "-o", "lv_attr", v.describe()).capturing().withTimeout(LIMIT), l -> { });
            String attr = r.stdout().strip();
            if (!r.ok() || attr.length() < 6) {
                out.add("'lvs -o lv_attr " + v.describe() + "' cannot tell whether it is open (status " + r.status() + ")");
            } else if (attr.charAt(5) == 'o') {
                out.add(v.describe() + " is open (LVM's attributes say so: a running guest, a mount or another program holds it)");
            }
        }
        return out;
    }

    private static boolean isBlock(Map<String, Object> a) {
        return a.get("mode") instanceof Integer m && (m & 0170000) == 0060000;
    }

    private static long major(long rdev) {
        return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    }

    private static long minor(long rdev) {
        return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    }

    /** The loop devices whose backing file is {@code image}, as the kernel names it. */
    private static List<String> loops(Path image) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/block"))) {
            for (Path b : s.filter(p -> p.getFileName().toString().matches("loop[0-9]+")).toList()) {
                try {
                    String backing = BoundedFiles.readString(b.resolve("loop/backing_file"), 8192).strip();
                    if (backing.equals(image.toString()) || backing.equals(image + " (deleted)")) {
                        out.add(image + " is attached to /dev/" + b.getFileName());
                    }
                } catch (BoundedFiles.NotAFileException | NoSuchFileException unattached) {
                    // a loop device with no file
                }
            }
        }
        return out;
    }

    /** "process PID (command) has DEVICE open" for each process that {@link #holders} finds. */
    private static List<String> openBy(java.util.function.Predicate<Map<String, Object>> same, String attributes, String device) throws IOException {
        List<String> out = new ArrayList<>();
        for (long pid : holders(same, attributes)) {
            String comm;
            try {
                comm = Files.readString(Path.of("/proc", String.valueOf(pid), "comm")).strip();
            } catch (IOException gone) {
                continue;
            }
            out.add("process " + pid + " (" + comm + ") has " + device + " open");
        }
        return out;
    }

    /** The processes holding the file {@code image} open, known by its device and inode, whatever path they opened. */
    static List<Long> processesHolding(Path image) throws IOException {
        Map<String, Object> id = Files.readAttributes(image, "unix:dev,ino");
        return holders(a -> id.get("dev").equals(a.get("dev")) && id.get("ino").equals(a.get("ino")), "unix:dev,ino");
    }

    /** The processes with a file open whose attributes {@code same} matches, read from /proc as fuser(1) does. */
    private static List<Long> holders(java.util.function.Predicate<Map<String, Object>> same, String attributes) throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                try (Stream<Path> fds = Files.list(p.resolve("fd"))) {
                    for (Path fd : fds.toList()) {
                        try {
                            if (same.test(Files.readAttributes(fd, attributes))) {
                                out.add(pid);
                                break;
                            }
                        } catch (IOException gone) {
                            // closed while it was read
                        }
                    }
                } catch (IOException gone) {
                    // the process ended while it was read, or is not ours to read
                }
            }
        }
        return out;
    }
}
