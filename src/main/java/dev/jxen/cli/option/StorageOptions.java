package dev.jxen.cli.option;

import picocli.CommandLine.Option;

/** Where the guest's disks go: exactly one target (checked with the config layers, in one place). */
public class StorageOptions {
    @Option(names = "--dir", paramLabel = "DIR", description = "Image files under DIR/domains/HOST/.") public String dir;
    @Option(names = "--lvm", paramLabel = "VG", description = "Logical volumes HOST-disk, HOST-swap, ... in volume group VG.") public String lvm;
    @Option(names = "--lvm_thin", paramLabel = "POOL", description = "Make thin volumes in this thin pool of the volume group.") public String lvmThin;
    @Option(names = "--zpool", paramLabel = "POOL", description = "ZFS volumes in POOL.") public String zpool;
    @Option(names = "--evms", paramLabel = "CONTAINER", hidden = true, description = "Refused: EVMS is gone from Linux.") public String evms;
}
