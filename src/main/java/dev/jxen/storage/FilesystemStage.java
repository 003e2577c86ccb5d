package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.system.Command;
import dev.jxen.system.ToolCheck;

import java.util.ArrayList;
import java.util.List;

/** Makes a filesystem (or swap) on every partition, unless --dontformat. */
public final class FilesystemStage implements Stage<Void> {
    private final ImageSpec spec;
    private final StageResult<GuestDisks> disks;
    private final StageResult<java.util.Optional<RootClone>> clone;

    /**
     * @param disks the storage stage's disks: planned and run over the same ones (a --force replacement's staged ones)
     * @param clone the cached image the root was cloned from, which is not formatted; absent where there is none to look for
     */
    public FilesystemStage(ImageSpec spec, StageResult<GuestDisks> disks, StageResult<java.util.Optional<RootClone>> clone) {
        this.spec = spec;
        this.disks = disks;
        this.clone = clone;
    }

    static String label(GuestDisk d) {
        return d.partition().name().length() > 12 ? d.partition().name().substring(0, 12) : d.partition().name();
    }

    @Override
    public String name() {
        return "filesystems";
    }

    /**
     * The command that makes {@code d}'s filesystem, with the ext4 features a guest of {@code dist} reads
     * ({@link Ext4Features}). With {@code keepAllocated} (a fully allocated image, {@code --image full}) it
     * discards nothing: mkfs's discard punches holes into an image file, which would make it sparse again.
     */
    static Command mkfs(GuestDisk d, String dist, boolean keepAllocated) {
        String type = d.partition().type();
        String label = label(d);
        List<String> nodiscard = keepAllocated ? List.of(type.equals("xfs") || type.equals("btrfs") ? "-K" : "-Enodiscard") : List.of();
        List<String> argv = new ArrayList<>();
        switch (type) {
            case "swap" -> argv.addAll(List.of("mkswap", "-L", label));
            case "xfs" -> argv.addAll(List.of("mkfs.xfs", "-f", "-q"));
            case "btrfs" -> argv.addAll(List.of("mkfs.btrfs", "-f", "-q"));
            case "ext4" -> {
                argv.addAll(List.of("mkfs.ext4", "-F", "-q"));
                argv.addAll(Ext4Features.options(dist));
            }
            default -> argv.addAll(List.of("mkfs." + type, "-F", "-q"));
        }
        if (!type.equals("swap")) {
            argv.addAll(nodiscard);
            argv.addAll(List.of("-L", label));
        }
        argv.add(d.path());
        return Command.of(argv);
    }

    private Command mkfs(GuestDisk d) {
        return mkfs(d, spec.install().dist(), d.file() && !spec.storage().sparse());
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        if (!spec.storage().format()) {
            out.add(PlannedAction.note("--dontformat: the partitions are used as they are"));
            return out;
        }
        for (GuestDisk d : plans.get(disks).disks()) {
            out.add(clone.present() && d.partition().isRoot() ? PlannedAction.note("unless the root is a clone of the cached base image: "
                    + mkfs(d).display()) : PlannedAction.run(mkfs(d)));
        }
        return out;
    }

    @Override
    public void verify() {
        if (spec.storage().format()) {
            for (GuestDisk d : GuestDisks.layout(spec).disks()) {
                ToolCheck.require(mkfs(d).argv().get(0), "to format " + d.partition().name());
            }
        }
    }

    @Override
    public Void run(StageContext ctx) {
        if (!spec.storage().format()) {
            ctx.info("--dontformat: not formatting");
            return null;
        }
        List<GuestDisk> all = ctx.get(disks).disks();
        int i = 0;
        boolean cloned = ctx.find(clone).flatMap(c -> c).isPresent();
        for (GuestDisk d : all) {
            ctx.progress(i++, all.size(), "formatting " + d.partition().name());
            if (cloned && d.partition().isRoot()) {
                continue;
            }
            ctx.run(mkfs(d));
        }
        ctx.progress(all.size(), all.size(), "formatted");
        return null;
    }
}
