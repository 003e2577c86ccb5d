package dev.jxen.cli.option;

import picocli.CommandLine.Option;

/** Where the guest's disks go: exactly one target (checked with the config layers, in one place). */
public class StorageOptions {
    @Option(names = "--dir", paramLabel = "DIR") public String dir;
    @Option(names = "--lvm", paramLabel = "VG") public String lvm;
    @Option(names = "--lvm_thin", paramLabel = "POOL") public String lvmThin;
    @Option(names = "--zpool", paramLabel = "POOL") public String zpool;
    @Option(names = "--evms", paramLabel = "CONTAINER", hidden = true) public String evms;
}
