package dev.jxen.cli.option;

import picocli.CommandLine.Option;

/** Sizes and disks. */
public class SizingOptions {
    @Option(names = "--size", paramLabel = "SIZE", description = "Size of the root disk, with a unit: 4G, 2048M.") public String size;
    @Option(names = "--swap", paramLabel = "SIZE", description = "Size of the swap disk, with a unit.") public String swap;
    @Option(names = "--noswap", description = "Make no swap disk.") public boolean noswap;
    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory of the guest; a bare number is MB.") public String memory;
    @Option(names = "--maxmem", paramLabel = "SIZE", description = "Maximum memory, for ballooning; a bare number is MB.") public String maxmem;
    @Option(names = "--vcpus", paramLabel = "N", description = "Virtual CPUs (default 1).") public String vcpus;
    @Option(names = "--fs", completionCandidates = Candidates.Filesystems.class, paramLabel = "FS", description = "Filesystem of every disk: ext2, ext3, ext4, xfs, btrfs.") public String fs;
    @Option(names = "--image", paramLabel = "sparse|full", description = "Image files sparse (default) or fully allocated (--dir only).") public String image;
    @Option(names = "--image-dev", paramLabel = "DEVICE", description = "Use an existing device as the root disk.") public String imageDev;
    @Option(names = "--swap-dev", paramLabel = "DEVICE", description = "Use an existing device as swap (with --image-dev).") public String swapDev;
    @Option(names = "--dontformat", description = "Do not make filesystems; the devices are formatted already.") public boolean dontformat;
    @Option(names = "--disk_device", paramLabel = "NAME", description = "First disk's name in the guest (default xvda).") public String diskDevice;
    @Option(names = "--ide", description = "Name the guest's disks hda, hdb, ...") public boolean ide;
    @Option(names = "--scsi", description = "Name the guest's disks sda, sdb, ...") public boolean scsi;
    @Option(names = "--serial_device", paramLabel = "DEV", description = "Console device for a getty (default hvc0).") public String serialDevice;
}
