package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.PartitionSpec;

import java.nio.file.Path;

/**
 * Where a guest's storage goes: xen-tools' layout ({@code DIR/domains/HOST/NAME.img},
 * {@code VG/HOST-NAME}, {@code POOL/HOST-NAME}), and the names a --force create builds the new guest
 * under ("new") and moves the old one to ("old") until the new one is complete. Those names hold a
 * character no host or partition name has (a leading '.', '+' or ':'), so they never meet a guest's own.
 */
public final class StoragePaths {
    private StoragePaths() {
    }

    /** Which of the three names. */
    public enum Name {
        FINAL, NEW, OLD
    }

    public static Path domainDir(ImageSpec spec) {
        return domainDir(spec, Name.FINAL);
    }

    public static Path domainDir(ImageSpec spec, Name name) {
        String guest = spec.hostname().fqdn();
        Path domains = spec.storage().dir().resolve("domains");
        return switch (name) {
            case FINAL -> domains.resolve(guest);
            case NEW -> domains.resolve("." + guest + ".jxen-new");
            case OLD -> domains.resolve("." + guest + ".jxen-old");
        };
    }

    /** The volume's name in its group or pool: HOST-NAME, HOST-NAME+new (LVM) or HOST-NAME:new (ZFS). */
    public static String volume(ImageSpec spec, PartitionSpec p, Name name) {
        String base = spec.hostname().fqdn() + "-" + p.name();
        String sep = spec.storage().target() == ImageSpec.Target.ZPOOL ? ":" : "+";
        return switch (name) {
            case FINAL -> base;
            case NEW -> base + sep + "new";
            case OLD -> base + sep + "old";
        };
    }

    /** The device or file of a partition under the given name. */
    public static String path(ImageSpec spec, PartitionSpec p, Name name) {
        var st = spec.storage();
        return switch (st.target()) {
            case DIR -> domainDir(spec, name).resolve(p.name() + ".img").toString();
            case LVM -> "/dev/" + st.vg() + "/" + volume(spec, p, name);
            case ZPOOL -> "/dev/zvol/" + st.pool() + "/" + volume(spec, p, name);
            case IMAGE_DEV -> p.isSwap() ? st.swapDevice() : st.imageDevice();
        };
    }
}
