package dev.jxen.storage;

import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.ToolCheck;

import java.util.List;

/**
 * Grows the disk: an image file (sparse with truncate, fully allocated with fallocate), a logical
 * volume (plain or thin: lvextend), a ZFS volume (its volsize). First it measures the disk again and
 * refuses when it changed since the plan or when there is no room for what is added. The undo puts
 * the disk back to its old size, unless its filesystem has grown past it by then ({@link ShrinkDisk}).
 */
public final class GrowDiskStage implements Stage<UndoStack.Entry> {
    private final DiskGrowth growth;

    public GrowDiskStage(DiskGrowth growth) {
        this.growth = growth;
    }

    @Override
    public String name() {
        return "grow disk";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        DiskNow now = growth.now();
        return List.of(PlannedAction.note("check that " + now.roomIn() + " has " + growth.needed() + " bytes free ("
                + (now.sparse() ? "a 32nd of what is added, what the filesystem writes into a sparse or thin disk" : "all that is added")
                + "; it has " + now.room() + ")"),
                PlannedAction.run(growth.grow()),
                PlannedAction.note("from " + now.bytes() + " to " + growth.newBytes() + " bytes; on a failure " + growth.shrinkBack().describe()));
    }

    @Override
    public void verify() {
        for (String tool : growth.tools()) {
            ToolCheck.require(tool, "to grow " + growth.disk().device());
        }
    }

    @Override
    public UndoStack.Entry run(StageContext ctx) {
        DiskNow now = DiskNow.measure(growth.disk(), ctx.runner());
        if (now.bytes() != growth.now().bytes() || !now.fsType().equals(growth.now().fsType())) {
            throw new HostStateException(growth.disk().device() + " changed since the plan: it has " + now.bytes() + " bytes and "
                    + (now.fsType().isEmpty() ? "no filesystem" : now.fsType()) + " now", "run the resize again");
        }
        if (now.room() < growth.needed()) {
            throw new HostStateException(now.roomIn() + " has " + (now.room() >> 20) + "M free; growing " + growth.disk().device() + " by "
                    + (growth.added() >> 20) + "M needs " + (growth.needed() >> 20) + "M there" + (now.sparse() ? " (a sparse or thin disk: "
                    + "what its filesystem writes into the new part)" : ""), "free room in " + now.roomIn() + ", or add less");
        }
        // an image is put back even when the command that grows it fails half-way; lvextend and zfs set change all or nothing
        UndoStack.Entry back = growth.disk().file() ? ctx.undo().rollback(growth.shrinkBack()) : null;
        ctx.run(growth.grow());
        if (back == null) {
            back = ctx.undo().rollback(growth.shrinkBack());
        }
        ctx.info("grew " + growth.disk().describe() + " from " + now.bytes() + " to " + growth.newBytes() + " bytes");
        return back;
    }
}
