package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.UndoStack;

import java.util.List;

/** Unmounts the guest's filesystems (innermost first) once the guest is complete. */
public final class UnmountStage implements Stage<Void> {
    private final StageResult<MountedRoot> mounted;

    public UnmountStage(StageResult<MountedRoot> mounted) {
        this.mounted = mounted;
    }

    @Override
    public String name() {
        return "unmount";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(PlannedAction.note("unmount the guest's filesystems and detach their loop devices"));
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        for (UndoStack.Entry e : ctx.get(mounted).unmounts()) {
            ctx.undo().release(e);
        }
        return null;
    }
}
