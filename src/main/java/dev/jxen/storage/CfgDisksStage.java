package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.Mountpoint;
import dev.jxen.config.PartitionSpec;
import dev.jxen.error.HostStateException;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;
import dev.jxen.xen.DomUConfigFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The disks of an existing guest, read from its .cfg: which one holds the root filesystem (the one
 * with an /etc/fstab) and where the others are mounted (the guest's own fstab). Used by update. The
 * fstab is the guest's, so each mountpoint must be a clean absolute path, once, or the update is refused.
 *
 * <p>A guest without a .cfg is found as xen-update-image finds it, by its root disk's name under
 * --dir or --lvm; that disk alone is mounted, so a guest whose fstab mounts other filesystems is
 * refused rather than updated with them missing.
 */
public final class CfgDisksStage implements Stage<GuestDisks> {
    private static final Pattern VDEV = Pattern.compile("vdev=([a-z]+[0-9]*)");
    private final Path cfg;
    private final String rootWithoutCfg;

    /** @param rootWithoutCfg the root disk to use when there is no .cfg (from --dir or --lvm), or null */
    public CfgDisksStage(Path cfg, String rootWithoutCfg) {
        this.cfg = cfg;
        this.rootWithoutCfg = rootWithoutCfg;
    }

    @Override
    public String name() {
        return "find disks";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        if (!Files.isRegularFile(cfg) && rootWithoutCfg != null) {
            return List.of(PlannedAction.note("there is no " + cfg + ": the guest's root disk is " + rootWithoutCfg
                    + ", as xen-update-image finds it; it alone is mounted"));
        }
        return List.of(PlannedAction.note("read the guest's disks from " + cfg));
    }

    @Override
    public void verify() {
        if (Files.isRegularFile(cfg)) {
            return;
        }
        if (rootWithoutCfg == null) {
            throw new HostStateException("no such guest: " + cfg + " does not exist",
                    "check --hostname and --output, or give --dir or --lvm to find its root disk without a .cfg");
        }
        if (!Files.exists(Path.of(rootWithoutCfg))) {
            throw new HostStateException("no such guest: neither " + cfg + " nor " + rootWithoutCfg + " exists",
                    "check --hostname, --output, --dir and --lvm");
        }
    }

    @Override
    public GuestDisks run(StageContext ctx) throws Exception {
        if (!Files.isRegularFile(cfg)) {
            return rootOnly(ctx);
        }
        DomUConfigFile c = DomUConfigFile.read(cfg);
        Map<String, String> byVdev = new TreeMap<>();
        for (int i = 0; i < c.disks().size(); i++) {
            Matcher m = VDEV.matcher(c.disks().get(i));
            byVdev.put(m.find() ? m.group(1) : "disk" + i, c.diskTargets().get(i));
        }
        String rootVdev = null;
        Map<String, String[]> fstab = new TreeMap<>();
        List<String> partitioned = new ArrayList<>();
        for (var e : byVdev.entrySet()) {
            String type = ctx.tryRun(Command.of("blkid", "-o", "value", "-s", "TYPE", e.getValue()).capturing()).stdout().strip();
            if (type.isEmpty() && !ctx.tryRun(Command.of("blkid", "-o", "value", "-s", "PTTYPE", e.getValue()).capturing()).stdout().isBlank()) {
                partitioned.add(e.getKey());
            }
            if (type.isEmpty() || type.equals("swap")) {
                continue;
            }
            var listing = ctx.tryRun(Command.of("debugfs", "-R", "cat /etc/fstab", e.getValue()).capturing());
            if (listing.ok() && listing.stdout().contains("/dev/") && rootVdev == null) {
                rootVdev = e.getKey();
                fstab = fstab(listing.stdout(), e.getValue());
            }
        }
        if (rootVdev == null && !partitioned.isEmpty()) {
            throw new HostStateException("the disk " + String.join(", ", partitioned) + " of " + cfg + " holds a partition table (a guest the "
                    + "Debian Installer installed, or one partitioned from inside): jxen-update-image works on guests whose disks are filesystems",
                    "update it from inside (apt-get upgrade), or map its partitions by hand (losetup --partscan)");
        }
        if (rootVdev == null) {
            throw new HostStateException("found no root filesystem with an /etc/fstab among the disks of " + cfg,
                    "jxen-update-image reads ext2/3/4 roots; mount the guest by hand otherwise");
        }
        List<GuestDisk> disks = new ArrayList<>();
        for (var e : byVdev.entrySet()) {
            String[] f = fstab.get(e.getKey());
            boolean root = e.getKey().equals(rootVdev);
            String type = root ? "ext4" : f == null ? "swap" : f[2];
            String mountpoint = root ? "/" : f == null || f[2].equals("swap") ? null : f[1];
            if (!root && mountpoint == null) {
                type = "swap";
            }
            boolean file = !e.getValue().startsWith("/dev/");
            disks.add(new GuestDisk(new PartitionSpec(e.getKey(), null, type, mountpoint, "defaults"), e.getValue(), file, e.getKey()));
        }
        ctx.info("root filesystem on " + byVdev.get(rootVdev));
        return new GuestDisks(disks);
    }

    private GuestDisks rootOnly(StageContext ctx) {
        var listing = ctx.tryRun(Command.of("debugfs", "-R", "cat /etc/fstab", rootWithoutCfg).capturing());
        if (!listing.ok() || !listing.stdout().contains("/dev/")) {
            throw new HostStateException("found no ext2/3/4 root filesystem with an /etc/fstab on " + rootWithoutCfg,
                    "jxen-update-image reads ext2/3/4 roots; mount the guest by hand otherwise");
        }
        String rootVdev = "xvda1";
        for (String[] f : fstab(listing.stdout(), rootWithoutCfg).values()) {
            if (f[1].equals("/")) {
                rootVdev = f[0].substring(5);
            } else if (!f[2].equals("swap")) {
                throw new HostStateException("the guest's /etc/fstab mounts " + f[1] + " from " + f[0]
                        + ", which jxen cannot find without the guest's .cfg (" + cfg + ")",
                        "give --output for the directory of its .cfg, or mount the guest by hand");
            }
        }
        ctx.info("root filesystem on " + rootWithoutCfg + " (no .cfg: found by its name, as xen-update-image does)");
        boolean file = !rootWithoutCfg.startsWith("/dev/");
        return new GuestDisks(List.of(new GuestDisk(new PartitionSpec(rootVdev, null, "ext4", "/", "defaults"), rootWithoutCfg, file, rootVdev)));
    }

    /** The guest's fstab lines for /dev/ devices, by device name; a mountpoint that is not clean, or used twice, is refused. */
    static Map<String, String[]> fstab(String text, String from) {
        Map<String, String[]> out = new TreeMap<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            String[] f = line.strip().split("\\s+");
            if (f.length < 4 || !f[0].startsWith("/dev/")) {
                continue;
            }
            if (!f[2].equals("swap")) {
                String problem = Mountpoint.problem(f[1]);
                Integer twice = seen.put(f[1], n);
                if (problem != null || twice != null) {
                    throw new StageFailedException("find disks", "the guest's /etc/fstab (on " + from + ") line " + n + ": mountpoint '"
                            + f[1].replaceAll("[^\\x20-\\x7e]", "?") + "' " + (problem != null ? problem : "is also on line " + twice)
                            + "; jxen mounts only clean absolute paths, each once", "mount the guest by hand to repair its fstab", null);
                }
            }
            out.put(f[0].substring(5), f);
        }
        return out;
    }
}
