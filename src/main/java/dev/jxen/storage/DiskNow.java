package dev.jxen.storage;

import dev.jxen.error.HostStateException;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A disk to grow as it is now, measured with read-only commands: its size, its filesystem, how it is
 * allocated, and the room where it grows.
 *
 * @param bytes   its size
 * @param fsType  its filesystem as blkid probes it ({@code ext4}, {@code xfs}, ...), or empty
 * @param sparse  an image file with holes, a thin logical volume, a ZFS volume without a full reservation: what is
 *                added takes room only as it is written
 * @param room    free bytes where it grows: the image's filesystem, the volume group (the thin pool), the parent dataset
 * @param roomIn  what {@code room} is the room of ({@code volume group vg0})
 * @param granule the unit its size grows in (a MiB for an image, the extent size of a volume group, a ZFS volume's block size)
 */
public record DiskNow(long bytes, String fsType, boolean sparse, long room, String roomIn, long granule) {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** The commands that measure {@code disk}, in the order they run; the plan lists them. */
    public static List<Command> commands(GrowableDisk disk) {
        Command type = Command.of("blkid", "-p", "-o", "value", "-s", "TYPE", disk.device());
        if (disk.disk() instanceof GuestStorage.LogicalVolume v) {
            return List.of(lvs(v.describe(), "lv_size,lv_attr,pool_lv,vg_free,vg_extent_size"), type);
        }
        if (disk.disk() instanceof GuestStorage.ZfsVolume z) {
            return List.of(Command.of("zfs", "get", "-Hp", "-o", "value", "volsize,refreservation,volblocksize", z.dataset()),
                    Command.of("zfs", "get", "-Hp", "-o", "value", "available", parent(z.dataset())), type);
        }
        return List.of(Command.of("stat", "--format=%s %b %B", disk.device()), type);
    }

    private static Command lvs(String lv, String fields) {
        return Command.of("lvs", "--noheadings", "--nosuffix", "--units", "b", "--separator", ",", "-o", fields, lv);
    }

    private static String parent(String dataset) {
        int slash = dataset.lastIndexOf('/');
        return slash < 0 ? dataset : dataset.substring(0, slash);
    }

    /** @throws HostStateException when a measure cannot be taken */
    public static DiskNow measure(GrowableDisk disk, CommandRunner runner) {
        String device = disk.device();
        String fs = read(runner, Command.of("blkid", "-p", "-o", "value", "-s", "TYPE", device), true).strip();
        if (disk.disk() instanceof GuestStorage.LogicalVolume v) {
            String[] f = fields(read(runner, lvs(v.describe(), "lv_size,lv_attr,pool_lv,vg_free,vg_extent_size"), false), 5, v.describe());
            long size = number(f[0], v.describe());
            if (f[1].startsWith("V") && !f[2].isEmpty()) {
                String pool = v.vg() + "/" + f[2];
                String[] p = fields(read(runner, lvs(pool, "lv_size,data_percent"), false), 2, pool);
                double used = Double.parseDouble(p[1].isEmpty() ? "0" : p[1].replace(',', '.'));
                long free = (long) (number(p[0], pool) * (100.0 - used) / 100.0);
                return new DiskNow(size, fs, true, free, "thin pool " + pool, number(f[4], v.describe()));
            }
            return new DiskNow(size, fs, false, number(f[3], v.describe()), "volume group " + v.vg(), number(f[4], v.describe()));
        }
        if (disk.disk() instanceof GuestStorage.ZfsVolume z) {
            String[] f = read(runner, Command.of("zfs", "get", "-Hp", "-o", "value", "volsize,refreservation,volblocksize", z.dataset()), false)
                    .strip().split("\\s+");
            if (f.length != 3) {
                throw new HostStateException("cannot read the size of the ZFS volume " + z.dataset(), "check it with: zfs get volsize " + z.dataset());
            }
            long size = number(f[0], z.dataset());
            long reserved = f[1].equals("-") || f[1].equals("none") ? 0 : number(f[1], z.dataset());
            String parent = parent(z.dataset());
            long available = number(read(runner, Command.of("zfs", "get", "-Hp", "-o", "value", "available", parent), false).strip(), parent);
            return new DiskNow(size, fs, reserved < size, available, "dataset " + parent, number(f[2], z.dataset()));
        }
        Path image = Path.of(device);
        String[] f = read(runner, Command.of("stat", "--format=%s %b %B", device), false).strip().split("\\s+");
        if (f.length != 3 || !Files.isRegularFile(image, LinkOption.NOFOLLOW_LINKS)) {
            throw new HostStateException("cannot read the size of the image " + device, "check that it is a regular file");
        }
        long size = number(f[0], device);
        boolean sparse = number(f[1], device) * number(f[2], device) < size; // allocated blocks times their size
        try {
            return new DiskNow(size, fs, sparse, Files.getFileStore(image.getParent()).getUsableSpace(), "the filesystem of " + image.getParent(), 1L << 20);
        } catch (IOException e) {
            throw new HostStateException("cannot tell how much room " + image.getParent() + " has: " + e.getMessage(), "check the directory");
        }
    }

    private static String read(CommandRunner runner, Command c, boolean emptyIsAnAnswer) {
        CommandResult r = runner.run(c.capturing().withTimeout(LIMIT), l -> { });
        // blkid says 2 where it finds no filesystem: an answer (the disk has none), not a failure
        if (!r.ok() && !(emptyIsAnAnswer && r.status() == 2)) {
            throw new HostStateException("'" + c.display() + "' failed (status " + r.status() + ")" + (r.tail().isEmpty() ? "" : ": "
                    + String.join(" / ", r.tail())), "check the disk with that command");
        }
        return r.ok() ? r.stdout() : "";
    }

    private static String[] fields(String line, int n, String what) {
        String[] f = line.strip().split(",", -1);
        if (f.length != n) {
            throw new HostStateException("cannot read the logical volume " + what + " from lvs: '" + line.strip() + "'",
                    "check it with: lvs " + what);
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].strip();
        }
        return f;
    }

    private static long number(String text, String what) {
        try {
            long v = Long.parseLong(text.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new HostStateException("cannot read a size of " + what + ": '" + text.strip() + "'", "check it by hand");
        }
    }
}
