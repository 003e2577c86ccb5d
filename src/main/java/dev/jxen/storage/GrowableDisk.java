package dev.jxen.storage;

import dev.jxen.config.PartitionSpec;
import dev.jxen.config.StorageTarget;
import dev.jxen.error.HostStateException;
import dev.jxen.error.InvalidInputException;
import dev.jxen.xen.DomUConfigFile;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one disk of a guest that a resize grows: the disk of the partition mounted at {@code mountpoint},
 * one the guest owns ({@link GuestStorage}: an image file, a logical volume or a ZFS volume that no other
 * guest names and its .cfg does not mark read-only).
 *
 * @param vdev          the name the guest sees it under ({@code xvda2}), or empty where nothing says
 * @param chosenBecause how it was found, for the plan and the log
 */
public record GrowableDisk(GuestStorage.Owned disk, String vdev, String mountpoint, String chosenBecause) {
    private static final Pattern VDEV = Pattern.compile("(?:^|[ ,])vdev=([a-z]+[0-9]*)");
    private static final Pattern ROOT = Pattern.compile("^/dev/([a-z]+[0-9]*)(\\s.*)?$");

    /** The image file or block device. */
    public String device() {
        if (disk instanceof GuestStorage.LogicalVolume v) {
            return v.device().toString();
        }
        if (disk instanceof GuestStorage.ZfsVolume z) {
            return z.device().toString();
        }
        return disk.describe();
    }

    /** True for an image file (mounted through a loop device). */
    public boolean file() {
        return disk instanceof GuestStorage.ImageFile;
    }

    /** How the user is told which disk this is: {@code /dev/vg0/web-disk (xvda2, mounted at /)}. */
    public String describe() {
        return device() + " (" + (vdev.isEmpty() ? "" : vdev + ", ") + "mounted at " + mountpoint + ")";
    }

    /**
     * Finds the disk of {@code mountpoint}. The root's is the disk the .cfg's {@code root =} names, else
     * its first disk (xen-tools and jxen both write the root disk first); without a .cfg it is found by
     * its name under the storage target, as xen-resize-guest finds it. Another mountpoint's disk is the
     * one named after its partition in the layout the guest was made with.
     *
     * @param cfg      the guest's .cfg, if it has one
     * @param location the storage target, for a guest without a .cfg; may be null when there is one
     * @param layout   the partitions of the layout the guest was made with (--partitions), or empty when none is named
     * @param storage  what the guest owns
     */
    public static GrowableDisk find(String guest, Optional<DomUConfigFile> cfg, StorageTarget location, String mountpoint,
                                    List<PartitionSpec> layout, GuestStorage storage) {
        String target;
        String vdev = "";
        String why;
        Optional<PartitionSpec> partition = layout.stream().filter(p -> mountpoint.equals(p.mountpoint())).findFirst();
        if (!mountpoint.equals("/") && partition.isEmpty()) {
            throw new InvalidInputException(layout.isEmpty()
                    ? "--partition " + mountpoint + ": jxen finds the root disk from the .cfg, but the disk of " + mountpoint
                    + " only from the partitions layout the guest was made with, and none is named: give --partitions LAYOUT "
                    + "(a name in partitions.d or a file), or set partitions in xen-tools.conf"
                    : "--partition " + mountpoint + ": no partition of the layout is mounted there (it mounts "
                    + String.join(", ", layout.stream().filter(p -> !p.isSwap()).map(PartitionSpec::mountpoint).toList())
                    + "); give one of those, or the layout the guest was made with");
        }
        String name = partition.map(PartitionSpec::name).orElse("disk");
        if (cfg.isPresent()) {
            List<String> disks = cfg.get().disks();
            List<String> targets = cfg.get().diskTargets();
            if (targets.isEmpty()) {
                throw new HostStateException(cfg.get().file() + " names no disk", "check the guest's .cfg");
            }
            int index = -1;
            if (mountpoint.equals("/") && partition.isEmpty()) {
                Matcher root = ROOT.matcher(cfg.get().values().getOrDefault("root", "").strip());
                if (root.matches()) {
                    for (int i = 0; i < disks.size() && index < 0; i++) {
                        if (root.group(1).equals(vdev(disks.get(i)))) {
                            index = i;
                        }
                    }
                }
                why = index >= 0 ? "the disk that 'root' in " + cfg.get().file() + " names" : "the first disk of " + cfg.get().file()
                        + ", where jxen and xen-tools put the root disk";
                index = Math.max(index, 0);
            } else {
                for (int i = 0; i < targets.size() && index < 0; i++) {
                    if (namedFor(targets.get(i), guest, name)) {
                        index = i;
                    }
                }
                if (index < 0) {
                    throw new HostStateException(cfg.get().file() + " names no disk of the partition '" + name + "' (mounted at " + mountpoint
                            + "): none is " + name + ".img or " + guest + "-" + name, "check --partitions: it must be the layout the guest was made with");
                }
                why = "the disk of the partition '" + name + "', which the layout mounts at " + mountpoint;
            }
            target = targets.get(index);
            vdev = vdev(disks.get(index));
        } else {
            if (location == null) {
                throw new InvalidInputException("no .cfg and no storage target to find the guest's disks: give --dir DIR, --lvm VG or --zpool POOL");
            }
            target = location.path(guest, name);
            why = target + ", the name a create gives the partition '" + name + "' (there is no .cfg; found as xen-resize-guest finds it)";
        }
        for (GuestStorage.Owned o : storage.owned()) {
            if (device(o).equals(target)) {
                return new GrowableDisk(o, vdev, mountpoint, why);
            }
        }
        String reason = storage.leftAlone().stream().filter(l -> l.startsWith(target + ":")).findFirst()
                .orElse(target + ": does not exist");
        throw new HostStateException("cannot grow the disk of " + mountpoint + " of " + guest + ": " + reason,
                "jxen grows only the image files, logical volumes and ZFS volumes a guest owns alone");
    }

    private static String device(GuestStorage.Owned o) {
        if (o instanceof GuestStorage.LogicalVolume v) {
            return v.device().toString();
        }
        if (o instanceof GuestStorage.ZfsVolume z) {
            return z.device().toString();
        }
        return o.describe();
    }

    /** Whether {@code target} is the disk a create names for partition {@code name} of {@code guest}: NAME.img or GUEST-NAME. */
    private static boolean namedFor(String target, String guest, String name) {
        String file = Path.of(target).getFileName() == null ? "" : Path.of(target).getFileName().toString();
        return file.equals(name + ".img") || file.equals(guest + "-" + name);
    }

    /** The vdev of a disk of a .cfg: {@code vdev=} of xl's syntax, or the second field of the old one ({@code phy:/dev/x,xvda2,w}). */
    static String vdev(String disk) {
        Matcher m = VDEV.matcher(disk);
        if (m.find()) {
            return m.group(1);
        }
        String[] f = disk.split(",");
        return f.length >= 2 && f[1].strip().matches("[a-z]+[0-9]*") && !disk.contains("target=") ? f[1].strip() : "";
    }
}
