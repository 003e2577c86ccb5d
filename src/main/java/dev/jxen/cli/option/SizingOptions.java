package dev.jxen.cli.option;

import picocli.CommandLine.Option;

/** Sizes and disks. */
public class SizingOptions {
    @Option(names = "--size", paramLabel = "SIZE") public String size;
    @Option(names = "--swap", paramLabel = "SIZE") public String swap;
    @Option(names = "--noswap") public boolean noswap;
    @Option(names = "--memory", paramLabel = "SIZE") public String memory;
    @Option(names = "--maxmem", paramLabel = "SIZE") public String maxmem;
    @Option(names = "--vcpus", paramLabel = "N") public String vcpus;
    @Option(names = "--fs", completionCandidates = Candidates.Filesystems.class, paramLabel = "FS") public String fs;
    @Option(names = "--image", paramLabel = "sparse|full") public String image;
    @Option(names = "--image-dev", paramLabel = "DEVICE") public String imageDev;
    @Option(names = "--swap-dev", paramLabel = "DEVICE") public String swapDev;
    @Option(names = "--dontformat") public boolean dontformat;
    @Option(names = "--disk_device", paramLabel = "NAME") public String diskDevice;
    @Option(names = "--ide") public boolean ide;
    @Option(names = "--scsi") public boolean scsi;
    @Option(names = "--serial_device", paramLabel = "DEV") public String serialDevice;
}
