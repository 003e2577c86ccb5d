package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;
import dev.jxen.system.ToolCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Creates one logical volume per partition, {@code VG/HOST-NAME}, thin with --lvm_thin. */
public final class LvmVolumeStage implements Stage<GuestDisks> {
    private final ImageSpec spec;

    public LvmVolumeStage(ImageSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "storage";
    }

    static Command create(ImageSpec spec, GuestDisk d) {
        String vg = spec.storage().location();
        String lv = lvName(spec, d);
        String size = d.partition().size().mebibytesRoundedUp() + "m";
        if (spec.storage().lvmThin() != null) {
            return Command.of("lvcreate", "--yes", "--thin", "--virtualsize", size, "--name", lv, vg + "/" + spec.storage().lvmThin());
        }
        return Command.of("lvcreate", "--yes", "--wipesignatures", "y", "--name", lv, "--size", size, vg);
    }

    static Command remove(ImageSpec spec, GuestDisk d) {
        return Command.of("lvremove", "--yes", spec.storage().location() + "/" + lvName(spec, d));
    }

    private static String lvName(ImageSpec spec, GuestDisk d) {
        return spec.hostname().fqdn() + "-" + d.partition().name();
    }

    @Override
    public List<PlannedAction> plan() {
        List<PlannedAction> out = new ArrayList<>();
        for (GuestDisk d : GuestDisks.layout(spec).disks()) {
            out.add(PlannedAction.run(create(spec, d)));
        }
        return out;
    }

    @Override
    public void verify() {
        ToolCheck.require("lvcreate", "to create logical volumes (--lvm)");
        if (spec.run().force()) {
            return;
        }
        for (GuestDisk d : GuestDisks.layout(spec).disks()) {
            if (Files.exists(Path.of(d.path()))) {
                throw new HostStateException("the logical volume " + d.path() + " already exists",
                        "perhaps you should remove the old guest with jxen-delete-image, or pass --force to replace it");
            }
        }
    }

    @Override
    public GuestDisks run(StageContext ctx) {
        GuestDisks disks = GuestDisks.layout(spec);
        for (GuestDisk d : disks.disks()) {
            if (Files.exists(Path.of(d.path()))) {
                ctx.warn("--force: removing the existing volume " + d.path());
                ctx.run(remove(spec, d));
            }
            ctx.run(create(spec, d));
            ctx.undo().rollback("remove logical volume " + d.path(), () -> ctx.run(remove(spec, d)));
        }
        return disks;
    }
}
