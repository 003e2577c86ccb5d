package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.PartitionSpec;

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

    /** Where each partition of this spec lives, before anything is created. */
    public static GuestDisks layout(ImageSpec spec) {
        return layout(spec, StoragePaths.Name.FINAL);
    }

    /** Where each partition lives under the given name (a --force create builds the new guest under NEW). */
    public static GuestDisks layout(ImageSpec spec, StoragePaths.Name name) {
        List<GuestDisk> out = new ArrayList<>();
        var st = spec.storage();
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
