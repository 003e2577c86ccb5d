package dev.jxen.storage;

import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.ToolCheck;

import java.util.List;

/**
 * Grows the disk: an image file (sparse with truncate, fully allocated with fallocate), a logical
 * volume (plain or thin: lvextend), a ZFS volume (its volsize), once {@link DiskRoomStage} found room. The undo puts
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
        return List.of(PlannedAction.run(growth.grow()), PlannedAction.note("from " + growth.now().bytes() + " to " + growth.newBytes()
                + " bytes; on a failure " + growth.shrinkBack().describe()));
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
        UndoStack.Entry back = growth.disk().file() ? ctx.undo().rollback(growth.shrinkBack()) : null;
        ctx.run(growth.grow());
        if (back == null) {
            back = ctx.undo().rollback(growth.shrinkBack());
        }
        ctx.info("grew " + growth.disk().describe() + " from " + growth.now().bytes() + " to " + growth.newBytes() + " bytes");
        return back;
    }
}
