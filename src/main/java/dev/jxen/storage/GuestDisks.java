package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.PartitionSpec;
import dev.jxen.config.Size;

import java.util.ArrayList;
import java.util.List;

/** The result of a storage stage: every partition's disk, in Xen disk order. */
public record GuestDisks(List<GuestDisk> disks) {

    public GuestDisks {
        disks = List.copyOf(disks);
    }

    public GuestDisk root() {
        return disks.stream().filter(d -> d.partition().isRoot()).findFirst().orElseThrow();
    }

    /** Slack for the installer's partition table and the alignment of its partitions (partman starts at 1 MiB). */
    static final long PARTITION_TABLE_BYTES = 4L << 20;

    /** True when the Debian Installer partitions one whole disk instead of jxen making a disk per partition. */
    public static boolean installerPartitions(ImageSpec spec) {
        return spec.install().enabled() && spec.install().method() == ImageSpec.InstallMethod.INSTALLER;
    }

    /**
     * The one disk the installer partitions: named {@code disk} as the root partition is in the
     * default layout, mounted at / as far as the domU .cfg is concerned (it is the disk pygrub reads),
     * the sum of the layout's partitions in size.
     */
    static PartitionSpec wholeDisk(ImageSpec spec) {
        long bytes = spec.storage().partitions().stream().mapToLong(p -> p.size().bytes()).sum() + PARTITION_TABLE_BYTES;
        return new PartitionSpec("disk", new Size(bytes), "partitioned", "/", "defaults");
    }

    /** Where each partition of this spec lives, before anything is created. */
    public static GuestDisks layout(ImageSpec spec) {
        return layout(spec, StoragePaths.Name.FINAL);
    }

    /** Where each partition lives under the given name (a --force create builds the new guest under NEW). */
    public static GuestDisks layout(ImageSpec spec, StoragePaths.Name name) {
        List<GuestDisk> out = new ArrayList<>();
        var st = spec.storage();
        if (installerPartitions(spec)) {
            return new GuestDisks(List.of(new GuestDisk(wholeDisk(spec), StoragePaths.path(spec, wholeDisk(spec), name),
                    st.target() == ImageSpec.Target.DIR, st.diskBase())));
        }
        int i = 0;
        for (PartitionSpec p : st.partitions()) {
            out.add(new GuestDisk(p, StoragePaths.path(spec, p, name), st.target() == ImageSpec.Target.DIR, st.deviceName(i++)));
        }
        if (st.target() == ImageSpec.Target.IMAGE_DEV && st.swapDevice() != null
                && out.stream().noneMatch(d -> d.partition().isSwap())) {
            // --image-dev with --swap-dev: swap comes first, as in the default layout
            PartitionSpec swap = new PartitionSpec("swap", null, "swap", null, "defaults");
            List<GuestDisk> withSwap = new ArrayList<>();
            withSwap.add(new GuestDisk(swap, st.swapDevice(), false, st.deviceName(0)));
            for (GuestDisk d : out) {
                withSwap.add(new GuestDisk(d.partition(), d.path(), d.file(), st.deviceName(withSwap.size())));
            }
            return new GuestDisks(withSwap);
        }
        return new GuestDisks(out);
    }
}
