package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;
import dev.jxen.system.ToolCheck;

import java.util.List;

/** Creates one ZFS volume per partition, {@code POOL/HOST-NAME}. */
public final class ZfsVolumeStage implements Stage<GuestDisks> {

    @Override
    public String name() {
        return "storage";
    }

    private static String volume(ImageSpec spec, GuestDisk d) {
        return spec.storage().location() + "/" + spec.hostname().fqdn() + "-" + d.partition().name();
    }

    static Command create(ImageSpec spec, GuestDisk d) {
        List<String> argv = new java.util.ArrayList<>(List.of("zfs", "create"));
        if (spec.storage().sparse()) {
            argv.add("-s");
        }
        argv.addAll(List.of("-V", d.partition().size().mebibytesRoundedUp() + "M", volume(spec, d)));
        return Command.of(argv);
    }

    @Override
    public List<PlannedAction> plan(ImageSpec spec) {
        return GuestDisks.layout(spec).disks().stream().map(d -> PlannedAction.run(create(spec, d))).toList();
    }

    @Override
    public void verify(ImageSpec spec) {
        ToolCheck.require("zfs", "to create ZFS volumes (--zpool)");
    }

    @Override
    public GuestDisks run(StageContext ctx) {
        GuestDisks disks = GuestDisks.layout(ctx.spec());
        for (GuestDisk d : disks.disks()) {
            ctx.run(create(ctx.spec(), d));
            ctx.undo().rollback("destroy ZFS volume " + volume(ctx.spec(), d),
                    () -> ctx.run(Command.of("zfs", "destroy", volume(ctx.spec(), d))));
        }
        return disks;
    }
}
