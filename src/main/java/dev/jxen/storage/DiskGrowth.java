package dev.jxen.storage;

import dev.jxen.config.Size;
import dev.jxen.error.InvalidInputException;
import dev.jxen.system.Command;
import dev.jxen.system.Dom0Paths;

import java.util.List;

/**
 * A resize of one disk: the disk, what it is now, and the size it grows to (rounded up to the unit
 * its storage grows in). A resize only grows: a size that is not larger is refused, since shrinking a
 * filesystem is where data gets lost.
 */
public record DiskGrowth(GrowableDisk disk, DiskNow now, long newBytes) {
    /** What a sparse disk's filesystem writes into what is added (inode tables, bitmaps), at most: a 32nd of it. */
    static final int METADATA_SHARE = 32;

    /**
     * @param add  --add: how much to add; or null
     * @param size --size: the size the disk grows to; or null
     */
    public static DiskGrowth of(GrowableDisk disk, DiskNow now, Size add, Size size) {
        if ((add == null) == (size == null)) {
            throw new InvalidInputException(add == null ? "give --add SIZE (how much to add) or --size SIZE (the disk's new size)"
                    : "give --add or --size, not both");
        }
        long wanted = add != null ? now.bytes() + add.bytes() : size.bytes();
        if (wanted <= now.bytes()) {
            throw new InvalidInputException("--size " + size + " is not larger than " + disk.device() + ", which has " + new Size(now.bytes())
                    + " now: jxen-resize-image grows disks and never shrinks one (shrinking a filesystem is where data is lost); "
                    + "give a larger --size, or --add SIZE");
        }
        if (wanted > Size.MAX) {
            throw new InvalidInputException("the new size of " + disk.device() + " would be larger than the 16T jxen accepts");
        }
        long g = Math.max(1, now.granule());
        return new DiskGrowth(disk, now, (wanted + g - 1) / g * g);
    }

    public long added() {
        return newBytes - now.bytes();
    }

    /** The room it needs where it grows: all that is added, or for a sparse disk what its filesystem writes there. */
    public long needed() {
        return now.sparse() ? (added() + METADATA_SHARE - 1) / METADATA_SHARE : added();
    }

    /** The command that grows the disk. */
    public Command grow() {
        GuestStorage.Owned d = disk.disk();
        if (d instanceof GuestStorage.LogicalVolume v) {
            return Command.of("lvextend", "--size", newBytes + "b", v.describe());
        }
        if (d instanceof GuestStorage.ZfsVolume z) {
            return Command.of("zfs", "set", "volsize=" + newBytes, z.dataset());
        }
        return now.sparse() ? Command.of("truncate", "--size", String.valueOf(newBytes), disk.device())
                : Command.of("fallocate", "--length", String.valueOf(newBytes), disk.device());
    }

    /** What puts the disk of {@code guest} back to its old size, unless it is in use or its filesystem has grown past it. */
    public ShrinkDisk shrinkBack(String guest, Dom0Paths paths) {
        return new ShrinkDisk(guest, disk.disk(), now.bytes(), now.fsType(), paths);
    }

    /** The program {@link #grow()} runs, for the tool check. */
    List<String> tools() {
        return List.of(grow().argv().get(0));
    }
}
