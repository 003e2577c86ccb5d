package dev.jxen.storage;

import dev.jxen.system.Command;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.Undo;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Puts a disk a resize grew back to its old size: an image file truncated, a logical volume reduced, a
 * ZFS volume's size set back. Only while its filesystem, as its own superblock says, still ends within
 * the old size; a filesystem that has grown past it, or that cannot be read, leaves the disk at its
 * new size (a larger disk under a filesystem loses nothing; cutting one off under it would).
 *
 * @param bytes the old size
 * @param fs    the filesystem on it, as the resize found it
 */
public record ShrinkDisk(GuestStorage.Owned disk, long bytes, String fs) implements Undo {
    public static final String KIND = "shrink-disk";

    public static ShrinkDisk from(Map<String, String> a) {
        String target = a.get("target");
        GuestStorage.Owned disk = switch (a.get("disk")) {
            case "lv" -> new GuestStorage.LogicalVolume(target.substring(0, target.indexOf('/')), target.substring(target.indexOf('/') + 1));
            case "zvol" -> new GuestStorage.ZfsVolume(target);
            default -> new GuestStorage.ImageFile(Path.of(target));
        };
        return new ShrinkDisk(disk, Long.parseLong(a.get("bytes")), a.getOrDefault("fs", ""));
    }

    public String kind() {
        return KIND;
    }

    public Map<String, String> args() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("disk", disk instanceof GuestStorage.LogicalVolume ? "lv" : disk instanceof GuestStorage.ZfsVolume ? "zvol" : "image");
        m.put("target", disk.describe());
        m.put("bytes", String.valueOf(bytes));
        m.put("fs", fs);
        return m;
    }

    public String describe() {
        return "put " + disk.describe() + " back to its old size (" + bytes + " bytes) unless its filesystem has grown past it";
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

    /** True when the filesystem still ends within the old size, as its superblock says. */
    boolean filesystemFits(CommandRunner runner) {
        if (!FilesystemSize.GROWABLE.contains(fs)) {
            return false;
        }
        OptionalLong now = FilesystemSize.of(runner, fs, device(), disk instanceof GuestStorage.ImageFile);
        return now.isPresent() && now.getAsLong() <= bytes;
    }

    public void run(CommandRunner runner) throws IOException {
        if (disk instanceof GuestStorage.ImageFile f) {
            Path image = f.path();
            if (!Files.isRegularFile(image, LinkOption.NOFOLLOW_LINKS) || Files.size(image) <= bytes || !filesystemFits(runner)) {
                return;
            }
            try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
                raf.setLength(bytes);
            }
            return;
        }
        if (filesystemFits(runner)) {
            runner.check(command().withTimeout(Duration.ofMinutes(5)), l -> { });
        }
    }
}
