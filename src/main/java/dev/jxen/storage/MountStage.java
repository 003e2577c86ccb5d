package dev.jxen.storage;

import dev.jxen.system.SystemUndo;
import dev.jxen.config.ImageSpec;
import dev.jxen.guest.GuestRoot;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.Command;
import dev.jxen.system.Mounts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Mounts the root filesystem on a fresh directory, then every other partition inside it. */
public final class MountStage implements Stage<MountedRoot> {
    private final ImageSpec spec;
    private final StageResult<GuestDisks> disks;
    private final boolean existingGuest;
    private final Path workDir;

    /**
     * @param disks         the guest's disks
     * @param existingGuest true when the disks come from an existing guest's .cfg (update): its
     *                      filesystems are mounted nodev and nosuid
     * @param workDir       where the guest gets a fresh mount point
     */
    public MountStage(ImageSpec spec, StageResult<GuestDisks> disks, boolean existingGuest, Path workDir) {
        this.spec = spec;
        this.disks = disks;
        this.existingGuest = existingGuest;
        this.workDir = workDir;
    }

    @Override
    public String name() {
        return "mount";
    }

    private static List<GuestDisk> inMountOrder(GuestDisks disks) {
        return disks.disks().stream().filter(d -> !d.partition().isSwap())
                .sorted(Comparator.comparingInt(d -> d.partition().mountpoint().equals("/") ? 0 : d.partition().mountpoint().split("/").length))
                .toList();
    }

    @Override
    public List<PlannedAction> plan() {
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.create(workDir + "/" + spec.hostname().fqdn() + ".XXXXXX/", "mount point"));
        if (existingGuest) {
            out.add(PlannedAction.mount("the guest's root disk and the disks its fstab names", "as listed in its .cfg"));
            return out;
        }
        for (GuestDisk d : inMountOrder(GuestDisks.layout(spec))) {
            out.add(PlannedAction.mount(d.path(), d.partition().mountpoint()));
        }
        return out;
    }

    @Override
    public MountedRoot run(StageContext ctx) throws Exception {
        Path work = workDir;
        Files.createDirectories(work);
        Path root = Files.createTempDirectory(work, spec.hostname().fqdn() + ".").toRealPath();
        ctx.undo().cleanup(new SystemUndo.RemoveFile(root));
        List<UndoStack.Entry> unmounts = new ArrayList<>();
        for (GuestDisk d : inMountOrder(ctx.get(disks))) {
            // every mountpoint but the root's is a directory of the guest: resolved inside it, never through a link out
            Path at = d.partition().isRoot() ? root : GuestRoot.at(root).directory(d.partition().mountpoint());
            List<String> argv = new ArrayList<>(List.of("mount", "--no-canonicalize"));
            List<String> options = new ArrayList<>();
            if (d.file()) {
                options.add("loop");
            }
            if (existingGuest) {
                options.addAll(List.of("nodev", "nosuid"));
            }
            if (!options.isEmpty()) {
                argv.addAll(List.of("-o", String.join(",", options)));
            }
            argv.addAll(List.of(d.path(), at.toString()));
            ctx.run(Command.of(argv));
            unmounts.add(0, ctx.undo().cleanup(new SystemUndo.Unmount(at)));
        }
        return new MountedRoot(root, List.copyOf(unmounts));
    }
}
