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
    private final ImageSpec spec;

    public ZfsVolumeStage(ImageSpec spec) {
        this.spec = spec;
    }

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
    public List<PlannedAction> plan() {
        return GuestDisks.layout(spec).disks().stream().map(d -> PlannedAction.run(create(spec, d))).toList();
    }

    @Override
    public void verify() {
        ToolCheck.require("zfs", "to create ZFS volumes (--zpool)");
    }

    @Override
    public GuestDisks run(StageContext ctx) {
        GuestDisks disks = GuestDisks.layout(spec);
        for (GuestDisk d : disks.disks()) {
            ctx.run(create(spec, d));
            ctx.undo().rollback("destroy ZFS volume " + volume(spec, d),
                    () -> ctx.run(Command.of("zfs", "destroy", volume(spec, d))));
        }
        return disks;
    }
}
