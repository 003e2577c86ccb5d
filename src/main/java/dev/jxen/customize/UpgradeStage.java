package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.guest.Sandbox;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.Command;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code apt-get update && apt-get upgrade} inside a stopped guest, as xen-update-image does: the
 * guest's own apt and maintainer scripts run, in the sandbox of an untrusted guest.
 */
public final class UpgradeStage implements Stage<Void> {
    private static final Map<String, String> ENV = Map.of("DEBIAN_FRONTEND", "noninteractive", "LC_ALL", "C.UTF-8");
    private final Sandbox.Policy policy;
    private final StageResult<MountedRoot> mounted;

    public UpgradeStage(Sandbox.Policy policy, StageResult<MountedRoot> mounted) {
        this.policy = policy;
        this.mounted = mounted;
    }

    @Override
    public String name() {
        return "upgrade";
    }

    static List<Command> commands() {
        return List.of(
                Command.of("apt-get", "-q", "update").withEnv(ENV).withLabel("apt-get"),
                Command.of("apt-get", "-q", "-y", "-o", "Dpkg::Options::=--force-confold", "upgrade").withEnv(ENV).withLabel("apt-get"),
                Command.of("apt-get", "-q", "clean").withEnv(ENV).withLabel("apt-get"));
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new java.util.ArrayList<>();
        out.add(PlannedAction.note("the guest's own apt-get runs " + Sandbox.describe(policy)));
        commands().forEach(c -> out.add(PlannedAction.run(c.inChroot(Path.of("MOUNTPOINT")))));
        return out;
    }

    @Override
    public void verify() {
        Sandbox.requireTools(policy.trust());
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        try (GuestWork w = GuestWork.open(ctx, policy, ctx.get(mounted).root())) {
            for (Command c : commands()) {
                ctx.run(w.sandbox().inGuest(c));
            }
        }
        return null;
    }
}
