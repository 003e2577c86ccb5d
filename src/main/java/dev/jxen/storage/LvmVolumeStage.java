package dev.jxen.storage;

import dev.jxen.system.SystemUndo;
import dev.jxen.config.ImageSpec;
import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.system.Command;
import dev.jxen.system.ToolCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Creates one logical volume per partition, {@code VG/HOST-NAME}, thin with --lvm_thin; for a --force
 * create, under the new names ({@code HOST-NAME+new}) beside the old guest's volumes. With --lvm_thin
 * and a ready image of the base in the cache, the root is a thin snapshot of that base's thin
 * volume ({@link ThinBase}), grown to its size and given its own UUID.
 */
public final class LvmVolumeStage implements Stage<GuestDisks> {
    private final ImageSpec spec;
    private final StoragePaths.Name name;
    private final StageResult<Optional<RootClone>> clone;
    private final Path lockDir;

    /** @param name FINAL for a create, NEW when a --force create replaces an existing guest */
    public LvmVolumeStage(ImageSpec spec, StoragePaths.Name name) {
        this(spec, name, StageResult.absent("base image"), null);
    }

    /**
     * @param clone   the cached image the root is cloned from, as a thin snapshot; absent where there is none to look for
     * @param lockDir where creates at once take turns to fill a base volume
     */
    public LvmVolumeStage(ImageSpec spec, StoragePaths.Name name, StageResult<Optional<RootClone>> clone, Path lockDir) {
        this.spec = spec;
        this.name = name;
        this.clone = clone;
        this.lockDir = lockDir;
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

    static Command create(ImageSpec spec, GuestDisk d) {
        String vg = spec.storage().vg();
        String lv = lvName(d);
        String size = d.partition().size().mebibytesRoundedUp() + "m";
        if (spec.storage().lvmThin() != null) {
            return Command.of("lvcreate", "--yes", "--thin", "--virtualsize", size, "--name", lv, vg + "/" + spec.storage().lvmThin());
        }
        return Command.of("lvcreate", "--yes", "--wipesignatures", "y", "--name", lv, "--size", size, vg);
    }

    static Command remove(ImageSpec spec, GuestDisk d) {
        return Command.of("lvremove", "--yes", spec.storage().vg() + "/" + lvName(d));
    }

    private static String lvName(GuestDisk d) {
        return Path.of(d.path()).getFileName().toString();
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        for (GuestDisk d : disks().disks()) {
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
    public GuestDisks run(StageContext ctx) throws Exception {
        GuestDisks disks = disks();
        for (GuestDisk d : disks.disks()) {
            Optional<RootClone> from = d.partition().isRoot() ? ctx.find(clone).flatMap(c -> c) : Optional.empty();
            // lvcreate refuses a name that exists: a volume that appeared since the checks is never replaced
            if (from.isPresent()) {
                ThinBase.snapshot(ctx, spec, from.get(), lockDir, base -> snapshot(base, d));
            } else {
                ctx.run(create(spec, d));
            }
            ctx.undo().rollback(new SystemUndo.RunCommand(remove(spec, d).argv(), "remove logical volume " + d.path()));
            if (from.isPresent()) {
                grow(ctx, from.get(), d);
            }
        }
        return disks;
    }

    private Command snapshot(String base, GuestDisk d) {
        String vg = spec.storage().vg();
        return Command.of("lvcreate", "--yes", "--snapshot", "--setactivationskip", "n", "--permission", "rw", "--name", lvName(d), vg + "/" + base);
    }

    /** The snapshot has the base's size: grown to the root's, with its filesystem, and given its own UUID and label. */
    private void grow(StageContext ctx, RootClone from, GuestDisk d) throws java.io.IOException {
        long baseMiB = ((Files.size(from.image()) + (4 << 20) - 1) >> 22) << 2;
        if (d.partition().size().mebibytesRoundedUp() > baseMiB) {
            ctx.run(Command.of("lvextend", "--yes", "--size", d.partition().size().mebibytesRoundedUp() + "m", spec.storage().vg() + "/" + lvName(d)));
        }
        ctx.run(Command.of("resize2fs", "-f", d.path()).withLabel("resize2fs"));
        ctx.run(Command.of("tune2fs", "-U", "random", "-L", FilesystemStage.label(d), d.path()).withLabel("tune2fs"));
        ctx.info("created " + d.path() + " (" + d.partition().size() + ") as a thin snapshot of the base volume " + ThinBase.name(from));
    }
}
