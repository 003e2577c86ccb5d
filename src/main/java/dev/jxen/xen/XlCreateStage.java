package dev.jxen.xen;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
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
public final class XlCreateStage implements Stage<String> {

    @Override
    public String name() {
        return "boot";
    }

    static String xl() {
        // Debian's /usr/sbin/xl is a wrapper that wants /sys/hypervisor; the real tool lives here
        for (String v : new String[] {"4.17", "4.16", "4.14", "4.11"}) {
            Path p = Path.of("/usr/lib/xen-" + v + "/bin/xl");
            if (java.nio.file.Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return "xl";
    }

    @Override
    public List<PlannedAction> plan(ImageSpec spec) {
        return List.of(PlannedAction.run(Command.of("xl", "create", spec.domain().configFile(spec.hostname()).toString())));
    }

    @Override
    public void verify(ImageSpec spec) {
        if (!xl().startsWith("/")) {
            ToolCheck.require("xl", "to start the guest (--boot)");
        }
    }

    @Override
    public String run(StageContext ctx) {
        ctx.undo().commit();
        Path cfg = ctx.spec().domain().configFile(ctx.spec().hostname());
        ctx.run(Command.of(xl(), "create", cfg.toString()));
        String id = ctx.run(Command.of(xl(), "domid", ctx.spec().hostname().fqdn()).capturing()).stdout().strip();
        ctx.info("started " + ctx.spec().hostname() + " as domain " + id);
        return id;
    }
}
