package dev.jxen.storage;

import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.SystemUndo;
import dev.jxen.system.ToolCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Grows the filesystem to fill its grown disk: ext2/3/4 offline with resize2fs; xfs and btrfs, whose
 * tools grow only a mounted filesystem, through a mount of jxen's own (nodev, nosuid, noexec, on a fresh
 * directory, unmounted at once). Then a read-only check, and the filesystem's new size from its superblock.
 *
 * <p>A logical or ZFS volume is put back to its old size only while its filesystem is untouched: its undo is
 * dropped before the filesystem's tool starts, so a failure from here leaves the volume larger (which loses
 * nothing). An image file's undo stays: it is truncated back when its filesystem still ends within the old size.
 */
public final class GrowFilesystemStage implements Stage<Long> {
    private static final Duration LIMIT = Duration.ofMinutes(60);
    private final String guest;
    private final DiskGrowth growth;
    private final StageResult<UndoStack.Entry> grown;
    private final Path workDir;

    /** @param workDir where xfs and btrfs get their mount point */
    public GrowFilesystemStage(String guest, DiskGrowth growth, StageResult<UndoStack.Entry> grown, Path workDir) {
        this.guest = guest;
        this.growth = growth;
        this.grown = grown;
        this.workDir = workDir;
    }

    @Override
    public String name() {
        return "grow filesystem";
    }

    private boolean mounted() {
        return !growth.now().fsType().startsWith("ext");
    }

    /** resize2fs on the disk, or the tool that grows a mounted xfs or btrfs at {@code at}. */
    Command grow(Path at) {
        return switch (growth.now().fsType()) {
            case "xfs" -> Command.of("xfs_growfs", at.toString());
            case "btrfs" -> Command.of("btrfs", "filesystem", "resize", "max", at.toString());
            default -> Command.of("resize2fs", growth.disk().device());
        };
    }

    Command mount(Path at) {
        return Command.of("mount", "--no-canonicalize", "-o", (growth.disk().file() ? "loop," : "") + "nodev,nosuid,noexec",
                growth.disk().device(), at.toString());
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        if (!growth.disk().file()) {
            out.add(PlannedAction.note("from here a failure leaves " + growth.disk().device() + " at its new size: a volume is reduced back "
                    + "only while its filesystem is untouched"));
        }
        if (mounted()) {
            Path at = workDir.resolve(guest + ".resize.XXXXXX");
            out.add(PlannedAction.create(at + "/", "mount point of jxen's own, for " + growth.now().fsType() + "'s tool"));
            out.add(PlannedAction.run(mount(at)));
            out.add(PlannedAction.run(grow(at)));
            out.add(PlannedAction.run(Command.of("umount", "--no-canonicalize", at.toString())));
        } else {
            out.add(PlannedAction.run(grow(null)));
        }
        out.add(PlannedAction.run(FilesystemCheckStage.readOnly(growth)));
        out.add(PlannedAction.run(FilesystemSize.probe(growth.now().fsType(), growth.disk().device(), growth.disk().file())));
        return out;
    }

    @Override
    public void verify() {
        String fs = growth.now().fsType();
        ToolCheck.require(grow(workDir).argv().get(0), "to grow the " + fs + " filesystem");
        ToolCheck.require(FilesystemCheckStage.readOnly(growth).argv().get(0), "to check the " + fs + " filesystem after it is grown");
        ToolCheck.require(FilesystemSize.probe(fs, growth.disk().device(), growth.disk().file()).argv().get(0), "to read the size of the " + fs + " filesystem");
    }

    @Override
    public Long run(StageContext ctx) throws Exception {
        UndoStack.Entry back = ctx.get(grown);
        String device = growth.disk().device();
        if (!growth.disk().file()) {
            ctx.undo().forget(back);
            ctx.info("from here a failure leaves " + device + " at its new size, with the filesystem that is on it");
        }
        CommandResult r;
        Command grow;
        if (mounted()) {
            Files.createDirectories(workDir);
            Path at = Files.createTempDirectory(workDir, guest + ".resize.").toRealPath();
            UndoStack.Entry dir = ctx.undo().cleanup(new SystemUndo.RemoveFile(at));
            ctx.run(mount(at));
            UndoStack.Entry unmount = ctx.undo().cleanup(new SystemUndo.Unmount(at));
            grow = grow(at);
            r = ctx.tryRun(grow.withTimeout(LIMIT));
            ctx.undo().release(unmount);
            ctx.undo().release(dir);
        } else {
            grow = grow(null);
            r = ctx.tryRun(grow.withTimeout(LIMIT));
        }
        if (!r.ok()) {
            throw failed("'" + grow.display() + "' exited with status " + r.status() + (r.tail().isEmpty() ? "" : ": " + String.join(" / ", r.tail())));
        }
        Command check = FilesystemCheckStage.readOnly(growth);
        CommandResult c = ctx.tryRun(check);
        if (!c.ok()) {
            throw failed("the check after the grow, '" + check.display() + "', exited with status " + c.status()
                    + (c.tail().isEmpty() ? "" : ": " + String.join(" / ", c.tail())));
        }
        OptionalLong size = FilesystemSize.of(ctx.runner(), growth.now().fsType(), device, growth.disk().file());
        if (size.isEmpty()) {
            throw failed("cannot read the size of the grown filesystem with '" + FilesystemSize.probe(growth.now().fsType(), device,
                    growth.disk().file()).display() + "'");
        }
        ctx.undo().forget(back);
        ctx.info("the " + growth.now().fsType() + " filesystem on " + device + " is clean and spans " + size.getAsLong() + " bytes now");
        return size.getAsLong();
    }

    private StageFailedException failed(String what) {
        String left = growth.disk().file()
                ? "; " + growth.disk().device() + " is truncated back to its old size if its filesystem still ends there, else left grown"
                : "; " + growth.disk().device() + " stays at its new size of " + growth.newBytes() + " bytes";
        return new StageFailedException(name(), what + left, "check the filesystem with '" + FilesystemCheckStage.readOnly(growth).display()
                + "' before the guest starts", null);
    }
}
