package dev.jxen.storage;

import dev.jxen.system.SystemUndo;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.PartitionSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * For a --force create whose new guest is complete: moves the old guest's storage aside (to its
 * "old" names) and the new guest's into place, by renames. Each rename is undone if the run fails
 * later, so the old guest comes back exactly as it was; nothing of it is deleted here. Existing
 * devices (--image-dev) are used in place: nothing is renamed.
 */
public final class SwapStorageStage implements Stage<Void> {
    private final ImageSpec spec;

    public SwapStorageStage(ImageSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "swap storage";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        if (spec.storage().target() == ImageSpec.Target.IMAGE_DEV) {
            out.add(PlannedAction.note("the new guest is made on the existing devices themselves: nothing to rename"));
            return out;
        }
        if (spec.storage().target() == ImageSpec.Target.DIR) {
            out.add(new PlannedAction("rename", StoragePaths.domainDir(spec) + " -> " + StoragePaths.domainDir(spec, StoragePaths.Name.OLD),
                    "the old guest's images, kept until the end"));
            out.add(new PlannedAction("rename", StoragePaths.domainDir(spec, StoragePaths.Name.NEW) + " -> " + StoragePaths.domainDir(spec),
                    "the new guest's images"));
            return out;
        }
        for (PartitionSpec p : spec.storage().partitions()) {
            out.add(PlannedAction.run(rename(p, StoragePaths.Name.FINAL, StoragePaths.Name.OLD)));
            out.add(PlannedAction.run(rename(p, StoragePaths.Name.NEW, StoragePaths.Name.FINAL)));
        }
        return out;
    }

    private Command rename(PartitionSpec p, StoragePaths.Name from, StoragePaths.Name to) {
        if (spec.storage().target() == ImageSpec.Target.ZPOOL) {
            String pool = spec.storage().pool();
            return Command.of("zfs", "rename", pool + "/" + StoragePaths.volume(spec, p, from), pool + "/" + StoragePaths.volume(spec, p, to));
        }
        return Command.of("lvrename", spec.storage().vg(), StoragePaths.volume(spec, p, from), StoragePaths.volume(spec, p, to));
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        if (spec.storage().target() == ImageSpec.Target.IMAGE_DEV) {
            return null;
        }
        if (spec.storage().target() == ImageSpec.Target.DIR) {
            Path dir = StoragePaths.domainDir(spec);
            Path old = StoragePaths.domainDir(spec, StoragePaths.Name.OLD);
            Path fresh = StoragePaths.domainDir(spec, StoragePaths.Name.NEW);
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
                ctx.undo().rollbackAlways(new SystemUndo.Move(old, dir, "put the old guest's images back"));
            }
            Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
            ctx.undo().rollbackAlways(new SystemUndo.Move(dir, fresh, "move the new images back to their staging directory"));
            ctx.info("the new images are in " + dir + "; the old ones in " + old + " until the end");
            return null;
        }
        for (PartitionSpec p : spec.storage().partitions()) {
            if (Files.exists(Path.of(StoragePaths.path(spec, p, StoragePaths.Name.FINAL)))) {
                ctx.run(rename(p, StoragePaths.Name.FINAL, StoragePaths.Name.OLD));
                ctx.undo().rollbackAlways(new SystemUndo.RunCommand(rename(p, StoragePaths.Name.OLD, StoragePaths.Name.FINAL).argv(), "give the old volume its name back"));
            }
            ctx.run(rename(p, StoragePaths.Name.NEW, StoragePaths.Name.FINAL));
            ctx.undo().rollbackAlways(new SystemUndo.RunCommand(rename(p, StoragePaths.Name.FINAL, StoragePaths.Name.NEW).argv(), "give the new volume its staging name back"));
        }
        return null;
    }
}
