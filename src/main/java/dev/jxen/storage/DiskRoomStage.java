package dev.jxen.storage;

import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;

import java.util.List;

/**
 * Before anything of a resize writes: the disk is measured again and must be as the plan found it, and
 * where it grows must have room for what is added (all of it, or for a sparse or thin disk what its
 * filesystem writes into the new part).
 */
public final class DiskRoomStage implements Stage<Void> {
    private final DiskGrowth growth;

    public DiskRoomStage(DiskGrowth growth) {
        this.growth = growth;
    }

    @Override
    public String name() {
        return "check room";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        DiskNow now = growth.now();
        return List.of(PlannedAction.note("check that " + now.roomIn() + " has " + growth.needed() + " bytes free ("
                + (now.sparse() ? "a 32nd of what is added, what the filesystem writes into a sparse or thin disk" : "all that is added")
                + "; it has " + now.room() + ")"));
    }

    @Override
    public Void run(StageContext ctx) {
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
        ctx.info(now.roomIn() + " has room: " + (now.room() >> 20) + "M free, " + (growth.needed() >> 20) + "M needed");
        return null;
    }
}
