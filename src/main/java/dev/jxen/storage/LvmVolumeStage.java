package dev.jxen.storage;

import dev.jxen.system.SystemUndo;
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

/**
 * Creates one logical volume per partition, {@code VG/HOST-NAME}, thin with --lvm_thin; for a --force
 * create, under the new names ({@code HOST-NAME+new}) beside the old guest's volumes.
 */
public final class LvmVolumeStage implements Stage<GuestDisks> {
    private final ImageSpec spec;
    private final StoragePaths.Name name;

    /** @param name FINAL for a create, NEW when a --force create replaces an existing guest */
    public LvmVolumeStage(ImageSpec spec, StoragePaths.Name name) {
        this.spec = spec;
        this.name = name;
    }

    @Override
    public String name() {
        return "storage";
    }

    static Command create(ImageSpec spec, GuestDisk d) {
        String vg = spec.storage().location();
        String lv = lvName(d);
        String size = d.partition().size().mebibytesRoundedUp() + "m";
        if (spec.storage().lvmThin() != null) {
            return Command.of("lvcreate", "--yes", "--thin", "--virtualsize", size, "--name", lv, vg + "/" + spec.storage().lvmThin());
        }
        return Command.of("lvcreate", "--yes", "--wipesignatures", "y", "--name", lv, "--size", size, vg);
    }

    static Command remove(ImageSpec spec, GuestDisk d) {
        return Command.of("lvremove", "--yes", spec.storage().location() + "/" + lvName(d));
    }

    private static String lvName(GuestDisk d) {
        return Path.of(d.path()).getFileName().toString();
    }

    @Override
    public List<PlannedAction> plan() {
        List<PlannedAction> out = new ArrayList<>();
        for (GuestDisk d : GuestDisks.layout(spec, name).disks()) {
            out.add(PlannedAction.run(create(spec, d)));
        }
        return out;
    }

    @Override
    public void verify() {
        ToolCheck.require("lvcreate", "to create logical volumes (--lvm)");
        List<StoragePaths.Name> mustBeFree = name == StoragePaths.Name.NEW
                ? List.of(StoragePaths.Name.NEW, StoragePaths.Name.OLD) : List.of(StoragePaths.Name.FINAL);
        for (StoragePaths.Name n : mustBeFree) {
            for (GuestDisk d : GuestDisks.layout(spec, n).disks()) {
                if (Files.exists(Path.of(d.path()))) {
                    throw new HostStateException("the logical volume " + d.path() + " already exists", n == StoragePaths.Name.FINAL
                            ? "perhaps you should remove the old guest with jxen-delete-image, or pass --force to replace it"
                            : "it is left from a --force create that did not finish: run jxen recover " + spec.hostname());
                }
            }
        }
    }

    @Override
    public GuestDisks run(StageContext ctx) {
        GuestDisks disks = GuestDisks.layout(spec, name);
        for (GuestDisk d : disks.disks()) {
            // lvcreate refuses a name that exists: a volume that appeared since the checks is never replaced
            ctx.run(create(spec, d));
            ctx.undo().rollback(new SystemUndo.RunCommand(remove(spec, d).argv(), "remove logical volume " + d.path()));
        }
        return disks;
    }
}
