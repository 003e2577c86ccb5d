package dev.jxen.config;

import dev.jxen.config.ImageSpec.StorageSpec;
import dev.jxen.config.ImageSpec.Target;
import dev.jxen.error.InvalidInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The storage part of the spec: the target, the partitions (a layout or size and swap), the disks' names. */
final class StorageSpecBuilder {
    private static final Pattern VG = StorageTargetReader.VG;
    private static final Pattern DISK = Pattern.compile("(?:/dev/)?((?:xvd|sd|hd)[a-z]+)");

    private final SettingReader r;
    private final ConfigSources sources;

    StorageSpecBuilder(SettingReader r, ConfigSources sources) {
        this.r = r;
        this.sources = sources;
    }

    StorageSpec build() {
        Optional<StorageTarget> where = StorageTargetReader.read(r);
        if (where.isEmpty() && !StorageTargetReader.named(r)) {
            r.problem("no storage target: give one of --dir DIR, --lvm VG, --zpool POOL or --image-dev DEVICE "
                    + "(or set dir or lvm in xen-tools.conf)");
        }
        Target target = where.map(StorageTarget::kind).orElse(null);
        String lvmThin = r.text("lvm_thin").orElse(null);
        if (lvmThin != null && (target != Target.LVM || !VG.matcher(lvmThin).matches())) {
            r.problem(r.where("lvm_thin") + (target != Target.LVM ? ": a thin pool needs --lvm" : ": not a thin pool name"));
        }
        String swapDev = r.text("swap-dev").orElse(null);
        boolean noswap = r.flag("noswap");
        if (swapDev != null) {
            r.checkBlockDevice("swap-dev");
            if (target != Target.IMAGE_DEV) {
                r.problem(r.where("swap-dev") + ": --swap-dev goes with --image-dev");
            }
            if (noswap) {
                r.problem(r.where("swap-dev") + ": choose --swap-dev or --noswap, not both");
            }
        }
        String image = r.value("image");
        if (!image.equals("sparse") && !image.equals("full")) {
            r.problem(r.where("image") + ": must be 'sparse' or 'full'");
        }
        String fs = r.value("fs");
        if (fs.equals("reiserfs")) {
            r.problem(r.where("fs") + ": reiserfs was removed from Linux; use ext4, xfs or btrfs");
        } else if (!PartitionLayout.FILESYSTEMS.contains(fs)) {
            r.problem(r.where("fs") + ": unknown filesystem; use one of ext2, ext3, ext4, xfs, btrfs");
        }
        List<PartitionSpec> partitions = partitions(target, fs, noswap, swapDev);
        String diskBase = diskBase();
        boolean format = !r.flag("dontformat");
        Map<String, String> fsOptions = new TreeMap<>();
        for (String t : PartitionLayout.FILESYSTEMS) {
            fsOptions.put(t, r.value(t + "_options"));
        }
        return new StorageSpec(where.orElse(null), swapDev, image.equals("sparse"), lvmThin, partitions, diskBase, format, fsOptions);
    }

    private List<PartitionSpec> partitions(Target target, String fs, boolean noswap, String swapDev) {
        Optional<String> layout = r.text("partitions");
        if (layout.isPresent()) {
            if (target == Target.IMAGE_DEV) {
                r.problem(r.where("partitions") + ": a partitions layout cannot be used with --image-dev");
                return List.of();
            }
            Optional<Path> file = sources.partitions(layout.get());
            if (file.isEmpty()) {
                r.problem(r.where("partitions") + ": no such layout; looked in " + sources.configDir().resolve("partitions.d")
                        + " and " + sources.builtinDir().resolve("partitions.d"));
                return List.of();
            }
            for (String key : List.of("size", "swap", "noswap", "fs")) {
                if (r.layers().layerOf(key).filter(l -> l.name().equals(CommandLineLayer.ORIGIN)).isPresent()) {
                    r.warn(r.where(key) + ": not used with --partitions (the layout " + layout.get() + " gives each partition's size and "
                            + "filesystem); ignored");
                }
            }
            try {
                List<PartitionSpec> parts = PartitionLayout.read(file.get());
                for (PartitionSpec p : parts) {
                    Size min = PartitionLayout.minimum(p.type());
                    if (p.size() != null && p.size().bytes() < min.bytes()) {
                        r.problem(r.where("partitions") + ": [" + p.name() + "] of " + p.size() + " is below the " + min
                                + " that " + (p.isSwap() ? "swap" : "an " + p.type() + " filesystem") + " needs");
                    }
                }
                return parts;
            } catch (InvalidInputException e) {
                e.problems().forEach(r::problem);
                return List.of();
            }
        }
        Size size = r.size("size", false);
        List<PartitionSpec> out = new ArrayList<>();
        // on existing devices the guest's swap is --swap-dev's device, or none: there is nothing to make one on
        if (!noswap && swapDev == null && target != Target.IMAGE_DEV) {
            Size swap = r.size("swap", false);
            out.add(new PartitionSpec("swap", swap, "swap", null, "defaults"));
            checkMinimum("swap", swap, "swap");
        }
        out.add(new PartitionSpec("disk", size, fs, "/", r.text(fs + "_options").orElse("defaults")));
        checkMinimum("size", size, fs);
        return out;
    }

    /** Refuses a size mkfs would refuse, before anything is made. */
    private void checkMinimum(String key, Size size, String type) {
        Size min = PartitionLayout.minimum(type);
        if (size != null && size.bytes() < min.bytes()) {
            r.problem(r.where(key) + ": below the " + min + " that " + (type.equals("swap") ? "swap" : "an " + type + " filesystem") + " needs");
        }
    }

    private String diskBase() {
        if (r.flag("ide")) {
            return "hda";
        }
        if (r.flag("scsi")) {
            return "sda";
        }
        String d = r.value("disk_device");
        var m = DISK.matcher(d);
        if (!m.matches()) {
            r.problem(r.where("disk_device") + ": must be a disk device name such as xvda, sda or hda");
            return "xvda";
        }
        return m.group(1);
    }
}
