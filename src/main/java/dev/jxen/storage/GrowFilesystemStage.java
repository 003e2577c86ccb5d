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
 * tools grow only a mounted filesystem, through a mount of jxen's own (its type given, nodev, nosuid,
 * noexec, on a directory inside a fresh 0700 directory of the work directory, unmounted at once). Then a
 * read-only check, and the filesystem's new size from its superblock.
 *
 * <p>The disk's undo ({@link ShrinkDisk}) is dropped before the filesystem's tool starts, so that a failure
 * from there leaves the disk larger (which loses nothing), for a logical or ZFS volume, for an xfs or btrfs
 * image (mounted, its log may hold the grow before its superblock says so) and for an ext image whose
 * resize2fs would move blocks. It stays only for an ext image that grows in place (descriptor blocks
 * reserved, or meta_bg): resize2fs writes the superblock last, and writes nothing the old filesystem uses
 * before it, so the undo cuts the image back while the superblock still says the old size, and is dropped
 * as soon as it says the new one. A failure's message says which became of the disk.
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

    /** The mount of an xfs or btrfs for its tool: its type named (no probe of the guest's bytes picks another); a btrfs without resuming a balance. */
    Command mount(Path at) {
        String fs = growth.now().fsType();
        String options = (growth.disk().file() ? "loop," : "") + "nodev,nosuid,noexec" + (fs.equals("btrfs") ? ",skip_balance" : "")
                + (fs.equals("xfs") ? ",nouuid" : "");
        return Command.of("mount", "--no-canonicalize", "-t", fs, "-o", options, growth.disk().device(), at.toString());
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        String device = growth.disk().device();
        if (!growth.disk().file()) {
            out.add(PlannedAction.note("from here a failure leaves " + device + " at its new size: a volume is reduced back "
                    + "only while its filesystem is untouched"));
        } else if (mounted()) {
            out.add(PlannedAction.note("from here a failure leaves " + device + " at its new size: a mounted " + growth.now().fsType()
                    + " may hold the grow in its log before its superblock says so"));
        } else {
            out.add(PlannedAction.run(FilesystemSize.probe(growth.now().fsType(), device)));
            out.add(PlannedAction.note("a failure of resize2fs cuts " + device + " back while its superblock still says the old size, if "
                    + "that superblock shows it grows in place (no block moved); else from here a failure leaves it at its new size"));
        }
        if (mounted()) {
            Path dir = workDir.resolve(guest + ".resize.XXXXXX");
            out.add(PlannedAction.create(dir + "/", "directory of jxen's own, mode 0700"));
            out.add(PlannedAction.create(dir.resolve("fs") + "/", "mount point, for " + growth.now().fsType() + "'s tool"));
            out.add(PlannedAction.run(mount(dir.resolve("fs"))));
            out.add(PlannedAction.run(grow(dir.resolve("fs"))));
            out.add(PlannedAction.run(Command.of("umount", "--no-canonicalize", dir.resolve("fs").toString())));
        } else {
            out.add(PlannedAction.run(grow(null)));
        }
        out.add(PlannedAction.run(FilesystemCheckStage.readOnly(growth)));
        out.add(PlannedAction.run(FilesystemSize.probe(growth.now().fsType(), device)));
        return out;
    }

    @Override
    public void verify() {
        String fs = growth.now().fsType();
        ToolCheck.require(grow(workDir).argv().get(0), "to grow the " + fs + " filesystem");
        ToolCheck.require(FilesystemCheckStage.readOnly(growth).argv().get(0), "to check the " + fs + " filesystem after it is grown");
        ToolCheck.require(FilesystemSize.probe(fs, growth.disk().device()).argv().get(0), "to read the size of the " + fs + " filesystem");
    }

    /** The disk's undo, while it is held, and why it was let go once it is not. */
    private static final class Back {
        UndoStack.Entry entry;
        String why;

        void drop(StageContext ctx, String because) {
            ctx.undo().forget(entry);
            entry = null;
            why = because;
        }
    }

    @Override
    public Long run(StageContext ctx) throws Exception {
        Back back = new Back();
        back.entry = ctx.get(grown);
        String device = growth.disk().device();
        String fs = growth.now().fsType();
        if (!growth.disk().file()) {
            back.drop(ctx, "a volume is reduced back only before its filesystem's tool starts");
        } else if (mounted()) {
            back.drop(ctx, "a mounted " + fs + " may hold the grow in its log before its superblock says so");
        } else if (!FilesystemSize.growsInPlace(ctx.runner(), device, growth.newBytes())) {
            back.drop(ctx, "resize2fs moves blocks to grow this filesystem (no descriptor blocks reserved for the new size), "
                    + "where they may be past the old end before its superblock says so");
        }
        if (back.entry == null) {
            ctx.info("from here a failure leaves " + device + " at its new size: " + back.why);
        }
        CommandResult r;
        Command grow;
        if (mounted()) {
            Files.createDirectories(workDir);
            Path dir = Files.createTempDirectory(workDir, guest + ".resize.").toRealPath(); // mode 0700: nobody else reaches the mount below it
            Path at = dir.resolve("fs");
            UndoStack.Entry dirs = ctx.undo().cleanup(new SystemUndo.RemoveEmptyDirs(at, dir));
            Files.createDirectory(at);
            UndoStack.Entry unmount = ctx.undo().cleanup(new SystemUndo.Unmount(at));
            CommandResult m = ctx.tryRun(mount(at));
            if (!m.ok()) {
                throw failed(ctx, back, "'" + mount(at).display() + "' exited with status " + m.status() + tail(m));
            }
            grow = grow(at);
            r = ctx.tryRun(grow.withTimeout(LIMIT));
            ctx.undo().release(unmount);
            ctx.undo().release(dirs);
        } else {
            grow = grow(null);
            r = ctx.tryRun(grow.withTimeout(LIMIT));
        }
        if (!r.ok()) {
            throw failed(ctx, back, "'" + grow.display() + "' exited with status " + r.status() + tail(r));
        }
        OptionalLong grownTo = FilesystemSize.of(ctx.runner(), fs, device);
        if (back.entry != null && (grownTo.isEmpty() || grownTo.getAsLong() > growth.now().bytes())) {
            back.drop(ctx, grownTo.isEmpty() ? "its superblock cannot be read after the grow" : "resize2fs grew its filesystem to "
                    + grownTo.getAsLong() + " bytes");
        }
        Command check = FilesystemCheckStage.readOnly(growth);
        CommandResult c = ctx.tryRun(check);
        if (!c.ok()) {
            throw failed(ctx, back, "the check after the grow, '" + check.display() + "', exited with status " + c.status() + tail(c));
        }
        OptionalLong size = FilesystemSize.of(ctx.runner(), fs, device);
        if (size.isEmpty()) {
            throw failed(ctx, back, "cannot read the size of the grown filesystem with '" + FilesystemSize.probe(fs, device).display() + "'");
        }
        if (back.entry != null) {
            ctx.undo().forget(back.entry);
        }
        ctx.info("the " + fs + " filesystem on " + device + " is clean and spans " + size.getAsLong() + " bytes now");
        return size.getAsLong();
    }

    private static String tail(CommandResult r) {
        return r.tail().isEmpty() ? "" : ": " + String.join(" / ", r.tail());
    }

    /** The failure, saying exactly what became of the disk: put back now (the undo run here), or left at its new size, and why. */
    private StageFailedException failed(StageContext ctx, Back back, String what) {
        String left = back.entry != null ? GrowDiskStage.putBack(ctx, back.entry)
                : growth.disk().device() + " is left at its new size of " + growth.newBytes() + " bytes: " + back.why;
        return new StageFailedException(name(), what + "; " + left, "check the filesystem with '" + FilesystemCheckStage.readOnly(growth).display()
                + "' before the guest starts", null);
    }
}
