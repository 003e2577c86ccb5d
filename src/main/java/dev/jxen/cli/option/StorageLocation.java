package dev.jxen.cli.option;

import dev.jxen.config.ConfigLayers;
import dev.jxen.config.ImageSpec;
import dev.jxen.error.InvalidInputException;
import dev.jxen.storage.GuestStorage;
import picocli.CommandLine.Option;

import java.util.Optional;

/**
 * Where the storage of a guest without a .cfg is (delete, update), as xen-delete-image and
 * xen-update-image take it: --dir, --lvm or --zpool, else the storage target of xen-tools.conf. A
 * guest with a .cfg is found by its .cfg, which names its disks exactly.
 */
public class StorageLocation {
    @Option(names = "--dir", paramLabel = "DIR", description = "Images are under DIR/domains/NAME/ (for a guest without a .cfg).")
    String dir;
    @Option(names = "--lvm", paramLabel = "VG", description = "Volumes NAME-disk, NAME-swap, ... are in volume group VG (for a guest without a .cfg).")
    String lvm;
    @Option(names = "--zpool", paramLabel = "POOL", description = "Volumes NAME-disk, ... are in ZFS pool POOL (for a guest without a .cfg).")
    String zpool;
    @Option(names = "--evms", paramLabel = "CONTAINER", description = "Refused: EVMS is gone from Linux.")
    String evms;

    /** The target named on the command line, else in the configuration; empty when neither names one. */
    public Optional<GuestStorage.Location> location(ConfigLayers layers) {
        if (evms != null) {
            throw new InvalidInputException("--evms " + evms + ": EVMS is gone from Linux (since 2.6.31) and jxen does not support it; "
                    + "use --lvm for logical volumes");
        }
        String d = dir;
        String l = lvm;
        String z = zpool;
        if (d == null && l == null && z == null) {
            d = layers.text("dir").filter(s -> !s.isBlank()).orElse(null);
            l = layers.text("lvm").filter(s -> !s.isBlank()).orElse(null);
            z = layers.text("zpool").filter(s -> !s.isBlank()).orElse(null);
        }
        if (d != null) {
            return Optional.of(new GuestStorage.Location(ImageSpec.Target.DIR, d));
        }
        if (l != null) {
            return Optional.of(new GuestStorage.Location(ImageSpec.Target.LVM, l));
        }
        return z == null ? Optional.empty() : Optional.of(new GuestStorage.Location(ImageSpec.Target.ZPOOL, z));
    }
}
