package dev.jxen.config;

import dev.jxen.config.ImageSpec.Target;
import dev.jxen.error.InvalidInputException;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a guest's storage is: a directory of image files, a volume group, a ZFS pool or an existing
 * device, decided by one rule for create and the companion commands: the latest layer that names a
 * target decides (a command line's over --config's over xen-tools.conf's), it names exactly one, and
 * its value is checked.
 */
public sealed interface StorageTarget {
    /** The kind of target. */
    Target kind();

    /** Where a create puts partition {@code partition} of guest {@code guest} here (xen-tools' names). */
    String path(String guest, String partition);

    /** Image files under {@code dir}/domains/GUEST. */
    record Dir(Path dir) implements StorageTarget {
        public Target kind() {
            return Target.DIR;
        }

        public String path(String guest, String partition) {
            return dir.resolve("domains").resolve(guest).resolve(partition + ".img").toString();
        }
    }

    /** Logical volumes GUEST-PARTITION in volume group {@code vg}. */
    record Lvm(String vg) implements StorageTarget {
        public Target kind() {
            return Target.LVM;
        }

        public String path(String guest, String partition) {
            return "/dev/" + vg + "/" + guest + "-" + partition;
        }
    }

    /** ZFS volumes GUEST-PARTITION under {@code pool} (a pool or a dataset). */
    record Zpool(String pool) implements StorageTarget {
        public Target kind() {
            return Target.ZPOOL;
        }

        public String path(String guest, String partition) {
            return "/dev/zvol/" + pool + "/" + guest + "-" + partition;
        }
    }

    /** An existing device for the root ({@code --image-dev}). */
    record ImageDev(String device) implements StorageTarget {
        public Target kind() {
            return Target.IMAGE_DEV;
        }

        public String path(String guest, String partition) {
            return device;
        }
    }

    /**
     * The target these layers name, for a companion command; empty when none does (the guest's .cfg
     * names its disks).
     *
     * @throws InvalidInputException when a layer names two, or a value is not one
     */
    static Optional<StorageTarget> of(ConfigLayers layers) {
        return StorageTargetReader.of(layers);
    }
}
