package dev.jxen.xen;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;
import dev.jxen.system.ToolCheck;

import java.nio.file.Path;
import java.util.List;

/**
 * Starts the guest with {@code xl create} (--boot). It runs after the guest is complete and
 * published: if Xen refuses to start it, xl's message is reported and the guest's storage and .cfg stay.
 */
public final class XlCreateStage implements Stage<XlCreateStage.Started> {
    /** The guest's domain id, and when xl create was run. */
    public record Started(String domid, java.time.Instant at) {
    }

    private final ImageSpec spec;
    private final String xl;

    /** @param xl the xl tool (see {@code Dom0Paths}) */
    public XlCreateStage(ImageSpec spec, String xl) {
        this.spec = spec;
        this.xl = xl;
    }

    @Override
    public String name() {
        return "boot";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(PlannedAction.run(Command.of("xl", "create", spec.domain().configFile(spec.hostname()).toString())));
    }

    @Override
    public void verify() {
        if (!xl.startsWith("/")) {
            ToolCheck.require("xl", "to start the guest (--boot)");
        }
    }

    @Override
    public Started run(StageContext ctx) {
        ctx.undo().commit();
        Path cfg = spec.domain().configFile(spec.hostname());
        java.time.Instant at = java.time.Instant.now();
        ctx.run(Command.of(xl, "create", cfg.toString()));
        String id = ctx.run(Command.of(xl, "domid", spec.hostname().fqdn()).capturing()).stdout().strip();
        ctx.info("started " + spec.hostname() + " as domain " + id);
        return new Started(id, at);
    }
}
