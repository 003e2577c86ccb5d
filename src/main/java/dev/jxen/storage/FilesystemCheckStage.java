package dev.jxen.storage;

import dev.jxen.config.PartitionSpec;
import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.ToolCheck;

import java.time.Duration;
import java.util.List;

/**
 * Before a resize touches anything: the filesystem of the disk to grow is one jxen grows, and its own
 * checker finds it clean (e2fsck in preen mode, which also records the check resize2fs asks for; xfs_repair
 * and btrfs check read-only). A filesystem with errors is refused with the disk as it was.
 */
public final class FilesystemCheckStage implements Stage<Void> {
    private static final Duration LIMIT = Duration.ofMinutes(30);
    private final DiskGrowth growth;

    public FilesystemCheckStage(DiskGrowth growth) {
        this.growth = growth;
    }

    @Override
    public String name() {
        return "check filesystem";
    }

    /** The check before the grow: e2fsck may preen (resize2fs wants a fresh e2fsck -f); the others only read. */
    static Command before(DiskGrowth g) {
        return g.now().fsType().startsWith("ext") ? Command.of("e2fsck", "-f", "-p", g.disk().device()).withTimeout(LIMIT) : readOnly(g);
    }

    /** A check that changes nothing, for after the grow too: the one a create ends with. */
    static Command readOnly(DiskGrowth g) {
        GrowableDisk d = g.disk();
        return CheckFilesystemsStage.check(new GuestDisk(new PartitionSpec(d.vdev(), null, g.now().fsType(), d.mountpoint(), "defaults"),
                d.device(), d.file(), d.vdev())).withTimeout(LIMIT);
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(PlannedAction.note(growth.disk().describe() + " holds " + growth.now().fsType() + "; it is "
                + growth.disk().chosenBecause()), PlannedAction.run(before(growth)));
    }

    @Override
    public void verify() {
        String fs = growth.now().fsType();
        if (!FilesystemSize.GROWABLE.contains(fs)) {
            throw new HostStateException(growth.disk().describe() + " holds " + (fs.isEmpty() ? "no filesystem blkid knows (a partition table, "
                    + "or nothing)" : "a " + fs + " filesystem") + ": jxen-resize-image grows ext2, ext3, ext4, xfs and btrfs",
                    "grow the disk and what it holds by hand");
        }
        ToolCheck.require(before(growth).argv().get(0), "to check the " + fs + " filesystem before it is grown");
    }

    @Override
    public Void run(StageContext ctx) {
        Command check = before(growth);
        CommandResult r = ctx.tryRun(check);
        boolean preened = check.argv().get(0).equals("e2fsck") && r.status() == 1;
        if (!r.ok() && !preened) {
            throw new HostStateException("the " + growth.now().fsType() + " filesystem on " + growth.disk().device() + " is not clean ('"
                    + check.display() + "' exited with status " + r.status() + (r.tail().isEmpty() ? "" : ": " + String.join(" / ", r.tail()))
                    + "); nothing was grown", "repair it by hand (" + (check.argv().get(0).equals("e2fsck") ? "e2fsck -f" : "xfs_repair or btrfs check --repair")
                    + "), then resize again");
        }
        if (preened) {
            ctx.warn("e2fsck corrected errors on " + growth.disk().device() + " in preen mode (status 1)");
        }
        ctx.info("the " + growth.now().fsType() + " filesystem on " + growth.disk().device() + " is clean");
        return null;
    }
}
