package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.Command;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code apt-get update && apt-get upgrade} inside a stopped guest, as xen-update-image does. */
public final class UpgradeStage implements Stage<Void> {
    private static final Map<String, String> ENV = Map.of("DEBIAN_FRONTEND", "noninteractive", "LC_ALL", "C.UTF-8");

    @Override
    public String name() {
        return "upgrade";
    }

    static List<Command> commands(Path root) {
        return List.of(
                Command.of("apt-get", "-q", "update").inChroot(root).withEnv(ENV).withLabel("apt-get"),
                Command.of("apt-get", "-q", "-y", "-o", "Dpkg::Options::=--force-confold", "upgrade").inChroot(root).withEnv(ENV).withLabel("apt-get"),
                Command.of("apt-get", "-q", "clean").inChroot(root).withEnv(ENV).withLabel("apt-get"));
    }

    @Override
    public List<PlannedAction> plan(ImageSpec spec) {
        return commands(Path.of("MOUNTPOINT")).stream().map(PlannedAction::run).toList();
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        Path root = ctx.result(MountedRoot.class).root();
        try (ChrootMounts m = ChrootMounts.enter(ctx, root)) {
            for (Command c : commands(root)) {
                ctx.run(c);
            }
        }
        return null;
    }
}
