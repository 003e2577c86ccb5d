package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.PartitionSpec;
import dev.jxen.config.StorageTarget;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;

import java.io.IOException;
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

    /** What of the old guest's storage is to be removed: where each thing is now, less what the new guest runs on. */
    private List<GuestStorage.Owned> asideNow() {
        List<GuestStorage.Owned> out = whereNow();
        // what the new guest runs on is never the old guest's to remove: --image-dev reuses the devices in place
        out.removeIf(this::theNewGuests);
        return out;
    }

    /** The old guest's storage that the new guest was made on (the same devices, with --image-dev): kept. */
    private List<GuestStorage.Owned> reused() {
        List<GuestStorage.Owned> out = whereNow();
        out.removeIf(o -> !theNewGuests(o));
        return out;
    }

    /** Where each thing the old guest owned is now: renamed aside when it had a name the new guest took. */
    private List<GuestStorage.Owned> whereNow() {
        List<GuestStorage.Owned> out = new ArrayList<>();
        boolean images = spec.storage().target() == ImageSpec.Target.DIR;
        Path dir = images ? StoragePaths.domainDir(spec) : null;
        Path oldDir = images ? StoragePaths.domainDir(spec, StoragePaths.Name.OLD) : null;
        for (GuestStorage.Owned o : old.owned()) {
            if (o instanceof GuestStorage.ImageFile f && images && f.path().startsWith(dir)) {
                out.add(new GuestStorage.ImageFile(oldDir.resolve(dir.relativize(f.path()))));
            } else if (o instanceof GuestStorage.LogicalVolume v && renamed(new StorageTarget.Lvm(v.vg()), v.lv())) {
                out.add(new GuestStorage.LogicalVolume(v.vg(), v.lv() + "+old"));
            } else if (o instanceof GuestStorage.ZfsVolume z && renamed(new StorageTarget.Zpool(z.dataset().substring(0, z.dataset().lastIndexOf('/'))),
                    z.dataset().substring(z.dataset().lastIndexOf('/') + 1))) {
                out.add(new GuestStorage.ZfsVolume(z.dataset() + ":old"));
            } else {
                out.add(o);
            }
        }
        return out;
    }

    /** True when {@code o} is, or may be, one of the new guest's disks; a state that cannot be told counts as yes. */
    private boolean theNewGuests(GuestStorage.Owned o) {
        Path at = location(o);
        for (GuestDisk d : GuestDisks.layout(spec).disks()) {
            Path disk = Path.of(d.path());
            if (at.equals(disk)) {
                return true;
            }
            try {
                if (Files.exists(at) && Files.exists(disk) && Files.isSameFile(at, disk)) {
                    return true;
                }
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    private static Path location(GuestStorage.Owned o) {
        if (o instanceof GuestStorage.ImageFile f) {
            return f.path();
        }
        if (o instanceof GuestStorage.LogicalVolume v) {
            return v.device();
        }
        return ((GuestStorage.ZfsVolume) o).device();
    }

    /** True when {@code name} in {@code where} is one the new guest took, so that the old one's was renamed aside. */
    private boolean renamed(StorageTarget where, String name) {
        if (!where.equals(spec.storage().where())) {
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
        for (GuestStorage.Owned o : reused()) {
            out.add(PlannedAction.note("kept: " + o.describe() + ", which the new guest is made on"));
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
            } else {
                Path image = ((GuestStorage.ImageFile) o).path();
                try {
                    if (!Files.deleteIfExists(image)) {
                        continue;
                    }
                } catch (IOException e) {
                    failed.add(o.describe() + " (" + e.getMessage() + ")");
                    continue;
                }
            }
            ctx.info("removed the old guest's " + o.describe());
        }
        Path oldDir = spec.storage().target() == ImageSpec.Target.DIR ? StoragePaths.domainDir(spec, StoragePaths.Name.OLD) : null;
        if (oldDir != null && Files.isDirectory(oldDir, LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.list(oldDir)) {
                List<Path> rest = s.toList();
                if (rest.isEmpty()) {
                    Files.delete(oldDir);
                } else {
                    ctx.warn("kept " + oldDir + ": it holds files that were not the old guest's images: " + rest);
                }
            } catch (IOException e) {
                failed.add(oldDir + "/ (" + e.getMessage() + ")");
            }
        }
        if (oldCfg != null) {
            try {
                Files.deleteIfExists(oldCfg);
            } catch (IOException e) {
                failed.add(oldCfg + " (" + e.getMessage() + ")");
            }
        }
        for (String l : old.leftAlone()) {
            ctx.warn("left alone: " + l);
        }
        for (GuestStorage.Owned o : reused()) {
            ctx.info("kept " + o.describe() + ": the new guest is made on it");
        }
        if (!failed.isEmpty()) {
            ctx.warn("the new guest is in place, but these parts of the old one could not be removed; remove them by hand: "
                    + String.join(", ", failed));
        }
        return null;
    }
}
