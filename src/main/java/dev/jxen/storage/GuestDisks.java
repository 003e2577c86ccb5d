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
        List<GuestDisk> out = new ArrayList<>();
        var st = spec.storage();
        String host = spec.hostname().fqdn();
        int i = 0;
        for (PartitionSpec p : st.partitions()) {
            String path;
            boolean file = false;
            switch (st.target()) {
                case DIR -> {
                    path = StoragePaths.domainDir(spec).resolve(p.name() + ".img").toString();
                    file = true;
                }
                case LVM -> path = "/dev/" + st.location() + "/" + host + "-" + p.name();
                case ZPOOL -> path = "/dev/zvol/" + st.location() + "/" + host + "-" + p.name();
                default -> path = p.isSwap() ? st.swapDevice() : st.location();
            }
            out.add(new GuestDisk(p, path, file, st.deviceName(i++)));
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
