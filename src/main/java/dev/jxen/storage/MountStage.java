package dev.jxen.storage;

import dev.jxen.system.SystemUndo;
import dev.jxen.config.ImageSpec;
import dev.jxen.guest.GuestRoot;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
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
    private final String hostname;
    private final boolean untrusted;
    private final StageResult<GuestDisks> disks;
    private final Path workDir;

    private MountStage(String hostname, boolean untrusted, StageResult<GuestDisks> disks, Path workDir) {
        this.hostname = hostname;
        this.untrusted = untrusted;
        this.disks = disks;
        this.workDir = workDir;
    }

    /**
     * The disks of a guest being created, those the storage stage makes (a --force replacement's
     * staged ones), planned and run over the same.
     *
     * @param workDir where the guest gets a fresh mount point
     */
    public static MountStage forNewGuest(ImageSpec spec, StageResult<GuestDisks> disks, Path workDir) {
        return new MountStage(spec.hostname().fqdn(), false, disks, workDir);
    }

    /** The disks of an existing guest, from its .cfg and fstab: it has run, so they are mounted nodev and nosuid. */
    public static MountStage forExistingGuest(String hostname, StageResult<GuestDisks> disks, Path workDir) {
        return new MountStage(hostname, true, disks, workDir);
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
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.create(workDir + "/" + hostname + ".XXXXXX/", "mount point"));
        java.util.Optional<GuestDisks> planned = plans.find(disks);
        if (planned.isEmpty()) {
            out.add(PlannedAction.mount("the guest's root disk and the disks its fstab names", "as listed in its .cfg"));
            return out;
        }
        for (GuestDisk d : inMountOrder(planned.get())) {
            out.add(PlannedAction.mount(d.path(), d.partition().mountpoint()));
        }
        return out;
    }

    @Override
    public MountedRoot run(StageContext ctx) throws Exception {
        Path work = workDir;
        Files.createDirectories(work);
        Path root = Files.createTempDirectory(work, hostname + ".").toRealPath();
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
            if (untrusted) {
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
