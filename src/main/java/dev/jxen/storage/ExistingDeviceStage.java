package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;

import java.util.List;

/** Uses devices the user already has (--image-dev, --swap-dev): nothing is created, nothing removed. */
public final class ExistingDeviceStage implements Stage<GuestDisks> {
    private final ImageSpec spec;

    public ExistingDeviceStage(ImageSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public List<PlannedAction> plan() {
        return GuestDisks.layout(spec).disks().stream()
                .map(d -> PlannedAction.note("use existing device " + d.path() + " as " + d.xenDevice() + " (" + d.partition().type() + ")"))
                .toList();
    }

    @Override
    public GuestDisks run(StageContext ctx) {
        return GuestDisks.layout(spec);
    }
}
