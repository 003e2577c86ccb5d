package dev.jxen.storage;

import dev.jxen.system.SystemUndo;
import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;
import dev.jxen.system.ToolCheck;

import java.util.List;
import java.util.Optional;

/** Creates one ZFS volume per partition, {@code POOL/HOST-NAME}; for a --force create under the new names ({@code HOST-NAME:new}). */
public final class ZfsVolumeStage implements Stage<GuestDisks> {
    private final ImageSpec spec;
    private final StoragePaths.Name name;

    /** @param name FINAL for a create, NEW when a --force create replaces an existing guest */
    public ZfsVolumeStage(ImageSpec spec, StoragePaths.Name name) {
        this.spec = spec;
        this.name = name;
    }

    @Override
    public String name() {
        return "storage";
    }

    /** The disks this stage makes, under the names it makes them: its plan and its run both use these. */
    private GuestDisks disks() {
        return GuestDisks.layout(spec, name);
    }

    @Override
    public Optional<GuestDisks> planned(Plans plans) {
        return Optional.of(disks());
    }

    private static String volume(GuestDisk d) {
        return d.path().substring("/dev/zvol/".length());
    }

    static Command create(ImageSpec spec, GuestDisk d) {
        List<String> argv = new java.util.ArrayList<>(List.of("zfs", "create"));
        if (spec.storage().sparse()) {
            argv.add("-s");
        }
        argv.addAll(List.of("-V", d.partition().size().mebibytesRoundedUp() + "M", volume(d)));
        return Command.of(argv);
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return disks().disks().stream().map(d -> PlannedAction.run(create(spec, d))).toList();
    }

    @Override
    public void verify() {
        ToolCheck.require("zfs", "to create ZFS volumes (--zpool)");
    }

    @Override
    public GuestDisks run(StageContext ctx) {
        GuestDisks disks = disks();
        for (GuestDisk d : disks.disks()) {
            ctx.run(create(spec, d));
            ctx.undo().rollback(new SystemUndo.RunCommand(List.of("zfs", "destroy", volume(d)), "destroy ZFS volume " + volume(d)));
        }
        return disks;
    }
}
