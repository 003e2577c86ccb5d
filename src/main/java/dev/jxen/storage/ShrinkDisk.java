package dev.jxen.storage;

import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.Undo;
import dev.jxen.xen.XlDomains;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Puts a disk a resize grew back to its old size: an image file truncated, a logical volume reduced, a
 * ZFS volume's size set back. Only while nothing can be using it and its filesystem, as its own superblock
 * says, still ends within the old size. Otherwise the disk stays at its new size (a larger disk under a
 * filesystem loses nothing; cutting one off under it, or under a guest, could), and the line it says
 * tells why.
 *
 * <p>It runs after a failed resize, and in {@code jxen recover} or the next run of any command on the guest
 * after a killed one, which come before that command's own checks: so it checks for itself that the
 * guest does not run (an unknown state counts as running) and that no loop device, process, mount or
 * stacked device holds the disk. When one does, the disk is left grown and the journal entry goes with
 * this run: kept, it would stop every later command on the guest, and cut the disk at some later run the
 * user no longer connects with the resize, under a guest that has used it meanwhile. The warning says so.
 *
 * @param bytes the old size
 * @param fs    the filesystem on it, as the resize found it
 * @param paths where xl is, to ask whether the guest runs (not journaled: the run that reads it back gives its own)
 */
public record ShrinkDisk(String guest, GuestStorage.Owned disk, long bytes, String fs, Dom0Paths paths) implements Undo {
    public static final String KIND = "shrink-disk";
    private static final Duration LIMIT = Duration.ofMinutes(5);

    public static ShrinkDisk from(Map<String, String> a, Dom0Paths paths) {
        String target = a.get("target");
        GuestStorage.Owned disk = switch (a.get("disk")) {
            case "lv" -> new GuestStorage.LogicalVolume(target.substring(0, target.indexOf('/')), target.substring(target.indexOf('/') + 1));
            case "zvol" -> new GuestStorage.ZfsVolume(target);
            default -> new GuestStorage.ImageFile(Path.of(target));
        };
        return new ShrinkDisk(a.getOrDefault("guest", ""), disk, Long.parseLong(a.get("bytes")), a.getOrDefault("fs", ""), paths);
    }

    public String kind() {
        return KIND;
    }

    public Map<String, String> args() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("guest", guest);
        m.put("disk", disk instanceof GuestStorage.LogicalVolume ? "lv" : disk instanceof GuestStorage.ZfsVolume ? "zvol" : "image");
        m.put("target", disk.describe());
        m.put("bytes", String.valueOf(bytes));
        m.put("fs", fs);
        return m;
    }

    public String describe() {
        return "put " + disk.describe() + " back to its old size (" + bytes + " bytes) unless " + guest + " runs, the disk is in use or its "
                + "filesystem has grown past it";
    }

    /** The command that shrinks a volume back; an image file is truncated by jxen itself. */
    Command command() {
        if (disk instanceof GuestStorage.LogicalVolume v) {
            return Command.of("lvreduce", "--yes", "--force", "--size", bytes + "b", v.describe());
        }
        if (disk instanceof GuestStorage.ZfsVolume z) {
            return Command.of("zfs", "set", "volsize=" + bytes, z.dataset());
        }
        return Command.of("truncate", "--size", String.valueOf(bytes), disk.describe());
    }

    private String device() {
        if (disk instanceof GuestStorage.LogicalVolume v) {
            return v.device().toString();
        }
        if (disk instanceof GuestStorage.ZfsVolume z) {
            return z.device().toString();
        }
        return disk.describe();
    }

    /** Why the disk must not be cut now, or empty when it may be (the filesystem's size is checked after). */
    private Optional<String> inUse(CommandRunner runner) throws IOException {
        XlDomains domains = XlDomains.query(runner, paths);
        switch (domains.state(guest)) {
            case RUNNING:
                return Optional.of(guest + " is running");
            case UNKNOWN:
                return Optional.of("whether " + guest + " runs cannot be told (" + domains.why() + ")");
            default:
                break;
        }
        List<String> held = DiskInUse.reasons(disk, device(), runner);
        return held.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", held));
    }

    /**
     * What {@link #apply} did.
     *
     * @param warning true when the disk was left grown (a warning for the log)
     * @param what    exactly what it did: "truncated ... back to N bytes", "left ... at its new size ...: because"
     */
    public record Outcome(boolean warning, String what) {
        @Override
        public String toString() {
            return (warning ? "warning: " : "") + what;
        }
    }

    private Outcome leftGrown(String because) {
        return new Outcome(true, "left " + device() + " at its new size, not cut back to " + bytes + " bytes: " + because + "; nothing on it is lost, "
                + "and it stays larger (its filesystem may not fill it yet: grow that later with jxen-resize-image, the guest stopped)");
    }

    /** Puts the disk back if it may be, and says exactly what it did. */
    public Outcome apply(CommandRunner runner) throws IOException {
        Path image = Path.of(device());
        if (disk instanceof GuestStorage.ImageFile) {
            if (!Files.isRegularFile(image, LinkOption.NOFOLLOW_LINKS)) {
                return new Outcome(true, "left " + image + " alone: it is no regular file now");
            }
            if (Files.size(image) <= bytes) {
                return new Outcome(false, image + " has its old size of " + Files.size(image) + " bytes already; nothing to put back");
            }
        }
        Optional<String> busy = inUse(runner);
        if (busy.isPresent()) {
            return leftGrown(busy.get());
        }
        if (!FilesystemSize.GROWABLE.contains(fs)) {
            return leftGrown("it held no filesystem jxen can measure (" + (fs.isEmpty() ? "none" : fs) + ")");
        }
        OptionalLong now = FilesystemSize.of(runner, fs, device());
        if (now.isEmpty()) {
            return leftGrown("its " + fs + " superblock cannot be read ('" + FilesystemSize.probe(fs, device()).display() + "')");
        }
        if (now.getAsLong() > bytes) {
            return leftGrown("its " + fs + " filesystem spans " + now.getAsLong() + " bytes now, past the old size");
        }
        if (disk instanceof GuestStorage.ImageFile) {
            try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
                raf.setLength(bytes);
            }
            return new Outcome(false, "truncated " + image + " back to " + bytes + " bytes (its " + fs + " filesystem spans " + now.getAsLong() + ")");
        }
        Command c = command().withTimeout(LIMIT);
        CommandResult r = runner.run(c, l -> { });
        if (!r.ok()) {
            throw new IOException("'" + c.display() + "' exited with status " + r.status() + (r.tail().isEmpty() ? "" : ": " + String.join(" / ", r.tail()))
                    + "; " + device() + " is at its new size");
        }
        return new Outcome(false, (disk instanceof GuestStorage.LogicalVolume ? "reduced " : "set ") + disk.describe() + " back to " + bytes
                + " bytes with '" + c.display() + "' (its " + fs + " filesystem spans " + now.getAsLong() + ")");
    }

    public void run(CommandRunner runner) throws IOException {
        apply(runner);
    }

    @Override
    public Optional<String> runAndSay(CommandRunner runner) throws IOException {
        return Optional.of(apply(runner).toString());
    }
}
