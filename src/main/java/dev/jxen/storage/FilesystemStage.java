package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;
import dev.jxen.system.ToolCheck;

import java.util.ArrayList;
import java.util.List;

/** Makes a filesystem (or swap) on every partition, unless --dontformat. */
public final class FilesystemStage implements Stage<Void> {

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
    public List<PlannedAction> plan(ImageSpec spec) {
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
    public void verify(ImageSpec spec) {
        if (spec.storage().format()) {
            for (GuestDisk d : GuestDisks.layout(spec).disks()) {
                ToolCheck.require(mkfs(d).argv().get(0), "to format " + d.partition().name());
            }
        }
    }

    @Override
    public Void run(StageContext ctx) {
        if (!ctx.spec().storage().format()) {
            ctx.info("--dontformat: not formatting");
            return null;
        }
        List<GuestDisk> disks = ctx.result(GuestDisks.class).disks();
        int i = 0;
        for (GuestDisk d : disks) {
            ctx.progress(i++, disks.size(), "formatting " + d.partition().name());
            ctx.run(mkfs(d));
        }
        ctx.progress(disks.size(), disks.size(), "formatted");
        return null;
    }
}
