package dev.jxen.storage;

import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.ToolCheck;

import java.io.IOException;
import java.util.List;

/**
 * Grows the disk: an image file (sparse with truncate, fully allocated with fallocate), a logical
 * volume (plain or thin: lvextend), a ZFS volume (its volsize), once {@link DiskRoomStage} found room. The undo puts
 * the disk back to its old size, unless the guest runs, the disk is in use or its filesystem has grown past it
 * by then ({@link ShrinkDisk}). A grow that fails puts it back at once, and its message says what became of it.
 */
public final class GrowDiskStage implements Stage<UndoStack.Entry> {
    private final String guest;
    private final DiskGrowth growth;
    private final Dom0Paths paths;

    /** @param paths where xl is, for the undo's own check that the guest does not run */
    public GrowDiskStage(String guest, DiskGrowth growth, Dom0Paths paths) {
        this.guest = guest;
        this.growth = growth;
        this.paths = paths;
    }

    @Override
    public String name() {
        return "grow disk";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(PlannedAction.run(growth.grow()), PlannedAction.note("from " + growth.now().bytes() + " to " + growth.newBytes()
                + " bytes; on a failure " + growth.shrinkBack(guest, paths).describe()));
    }

    @Override
    public void verify() {
        for (String tool : growth.tools()) {
            ToolCheck.require(tool, "to grow " + growth.disk().device());
        }
    }

    @Override
    public UndoStack.Entry run(StageContext ctx) {
        // an image is put back even when the command that grows it fails half-way; lvextend and zfs set change all or nothing
        UndoStack.Entry back = growth.disk().file() ? ctx.undo().rollback(growth.shrinkBack(guest, paths)) : null;
        Command grow = growth.grow();
        CommandResult r = ctx.tryRun(grow);
        if (!r.ok()) {
            String left = back != null ? putBack(ctx, back) : growth.disk().device() + " is as it was (" + grow.argv().get(0) + " changes all or nothing)";
            throw new StageFailedException(name(), "'" + grow.display() + "' exited with status " + r.status()
                    + (r.tail().isEmpty() ? "" : ": " + String.join(" / ", r.tail())) + "; " + left, "see the log for " + grow.argv().get(0) + "'s output", null);
        }
        if (back == null) {
            back = ctx.undo().rollback(growth.shrinkBack(guest, paths));
        }
        ctx.info("grew " + growth.disk().describe() + " from " + growth.now().bytes() + " to " + growth.newBytes() + " bytes");
        return back;
    }

    /**
     * Runs a disk's undo now, on a failure, so that the failure's message can say what it did; then it is off
     * the stack. Should it fail itself, it stays there for the run's unwind to try again.
     *
     * @return what became of the disk, for the message
     */
    static String putBack(StageContext ctx, UndoStack.Entry back) {
        try {
            ShrinkDisk.Outcome o = ((ShrinkDisk) back.action()).apply(ctx.runner());
            ctx.undo().forget(back);
            if (o.warning()) {
                ctx.warn(o.what());
            } else {
                ctx.info(o.what());
            }
            return o.what();
        } catch (IOException e) {
            return "putting it back failed (" + e.getMessage() + "); the rollback tries again";
        }
    }
}
