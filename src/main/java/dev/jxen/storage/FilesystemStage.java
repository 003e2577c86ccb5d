package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
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

    public FilesystemStage(ImageSpec spec, StageResult<GuestDisks> disks) {
        this.spec = spec;
        this.disks = disks;
    }

    @Override
    public String name() {
        return "filesystems";
    }

    static Command mkfs(GuestDisk d) {
        String type = d.partition().type();
        String label = d.partition().name().length() > 12 ? d.partition().name().substring(0, 12) : d.partition().name();
        return switch (type) {
            case "swap" -> Command.of("mkswap", "-L", label, d.path());
            case "xfs" -> Command.of("mkfs.xfs", "-f", "-q", "-L", label, d.path());
            case "btrfs" -> Command.of("mkfs.btrfs", "-f", "-q", "-L", label, d.path());
            default -> Command.of("mkfs." + type, "-F", "-q", "-L", label, d.path());
        };
    }

    @Override
    public List<PlannedAction> plan() {
        List<PlannedAction> out = new ArrayList<>();
        if (!spec.storage().format()) {
            out.add(PlannedAction.note("--dontformat: the partitions are used as they are"));
            return out;
        }
        for (GuestDisk d : GuestDisks.layout(spec).disks()) {
            out.add(PlannedAction.run(mkfs(d)));
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
        for (GuestDisk d : all) {
            ctx.progress(i++, all.size(), "formatting " + d.partition().name());
            ctx.run(mkfs(d));
        }
        ctx.progress(all.size(), all.size(), "formatted");
        return null;
    }
}
