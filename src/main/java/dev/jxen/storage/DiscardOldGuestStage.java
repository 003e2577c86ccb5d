package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.PartitionSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of a --force create, once the new guest is in place: removes exactly the old guest's
 * storage (what {@link GuestStorage} found it owned, now under its "old" names) and its old .cfg.
 * The new guest is complete by then, so a removal that fails is reported with the exact name to
 * remove by hand, and does not undo the create.
 */
public final class DiscardOldGuestStage implements Stage<Void> {
    private final ImageSpec spec;
    private final GuestStorage old;
    private final Path oldCfg;

    /** @param oldCfg where the old .cfg was moved aside, or null when there was none */
    public DiscardOldGuestStage(ImageSpec spec, GuestStorage old, Path oldCfg) {
        this.spec = spec;
        this.old = old;
        this.oldCfg = oldCfg;
    }

    @Override
    public String name() {
        return "discard old guest";
    }

    /** Where each thing the old guest owned is now: renamed aside when it had a name the new guest took. */
    private List<GuestStorage.Owned> asideNow() {
        List<GuestStorage.Owned> out = new ArrayList<>();
        Path dir = StoragePaths.domainDir(spec);
        Path oldDir = StoragePaths.domainDir(spec, StoragePaths.Name.OLD);
        for (GuestStorage.Owned o : old.owned()) {
            if (o instanceof GuestStorage.ImageFile f && spec.storage().target() == ImageSpec.Target.DIR && f.path().startsWith(dir)) {
                out.add(new GuestStorage.ImageFile(oldDir.resolve(dir.relativize(f.path()))));
            } else if (o instanceof GuestStorage.LogicalVolume v && renamed(v.vg(), v.lv(), ImageSpec.Target.LVM)) {
                out.add(new GuestStorage.LogicalVolume(v.vg(), v.lv() + "+old"));
            } else if (o instanceof GuestStorage.ZfsVolume z && renamed(z.dataset().substring(0, z.dataset().lastIndexOf('/')),
                    z.dataset().substring(z.dataset().lastIndexOf('/') + 1), ImageSpec.Target.ZPOOL)) {
                out.add(new GuestStorage.ZfsVolume(z.dataset() + ":old"));
            } else {
                out.add(o);
            }
        }
        return out;
    }

    private boolean renamed(String where, String name, ImageSpec.Target kind) {
        if (spec.storage().target() != kind || !spec.storage().location().equals(where)) {
            return false;
        }
        for (PartitionSpec p : spec.storage().partitions()) {
            if (StoragePaths.volume(spec, p, StoragePaths.Name.FINAL).equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        for (GuestStorage.Owned o : asideNow()) {
            Command c = RemoveStorageStage.removal(o);
            out.add(c != null ? PlannedAction.run(c) : new PlannedAction("remove", o.describe(), "the old guest's image"));
        }
        if (spec.storage().target() == ImageSpec.Target.DIR) {
            out.add(new PlannedAction("remove", StoragePaths.domainDir(spec, StoragePaths.Name.OLD) + "/", "if it is left empty"));
        }
        if (oldCfg != null) {
            out.add(new PlannedAction("remove", oldCfg.toString(), "the old .cfg"));
        }
        for (String l : old.leftAlone()) {
            out.add(PlannedAction.note("left alone: " + l));
        }
        return out;
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        List<String> failed = new ArrayList<>();
        for (GuestStorage.Owned o : asideNow()) {
            Command c = RemoveStorageStage.removal(o);
            if (c != null) {
                CommandResult r = ctx.tryRun(c);
                if (!r.ok()) {
                    failed.add(o.describe() + " (" + c.display() + " exited with status " + r.status() + ")");
                    continue;
                }
            } else if (!Files.deleteIfExists(((GuestStorage.ImageFile) o).path())) {
                continue;
            }
            ctx.info("removed the old guest's " + o.describe());
        }
        Path oldDir = StoragePaths.domainDir(spec, StoragePaths.Name.OLD);
        if (spec.storage().target() == ImageSpec.Target.DIR && Files.isDirectory(oldDir, LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.list(oldDir)) {
                List<Path> rest = s.toList();
                if (rest.isEmpty()) {
                    Files.delete(oldDir);
                } else {
                    ctx.warn("kept " + oldDir + ": it holds files that were not the old guest's images: " + rest);
                }
            }
        }
        if (oldCfg != null) {
            Files.deleteIfExists(oldCfg);
        }
        for (String l : old.leftAlone()) {
            ctx.warn("left alone: " + l);
        }
        if (!failed.isEmpty()) {
            ctx.warn("the new guest is in place, but these parts of the old one could not be removed; remove them by hand: "
                    + String.join(", ", failed));
        }
        return null;
    }
}
