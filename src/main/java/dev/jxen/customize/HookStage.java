package dev.jxen.customize;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.install.BaseTree;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.Command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the hooks for the guest's distribution with the guest's root as their one argument. */
public final class HookStage implements Stage<Void> {
    private final ConfigSources sources;

    public HookStage(ConfigSources sources) {
        this.sources = sources;
    }

    @Override
    public String name() {
        return "hooks";
    }

    private List<Path> hooks(ImageSpec spec) {
        return HookRunner.hooksFor(sources.hookDirs(), spec.install().dist(), spec.install().family());
    }

    @Override
    public List<PlannedAction> plan(ImageSpec spec) {
        if (!spec.customize().hooks()) {
            return List.of(PlannedAction.note("--hooks=0: no hooks run"));
        }
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.mount("proc, sysfs, /dev, devpts", "inside the guest, with a policy-rc.d that stops daemons starting"));
        for (Path h : hooks(spec)) {
            out.add(PlannedAction.run(Command.of(h.toString(), "MOUNTPOINT")));
        }
        return out;
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        ImageSpec spec = ctx.spec();
        if (!spec.customize().hooks()) {
            ctx.info("--hooks=0: skipping hooks");
            return null;
        }
        Path root = ctx.result(MountedRoot.class).root();
        String mirror = ctx.optionalResult(BaseTree.class).map(BaseTree::mirror).orElse(spec.install().mirror().orElse(null));
        Map<String, String> env = HookEnvironment.of(spec, mirror);
        List<Path> hooks = hooks(spec);
        try (ChrootMounts m = ChrootMounts.enter(ctx, root)) {
            int i = 0;
            for (Path h : hooks) {
                ctx.progress(i++, hooks.size(), h.getFileName().toString());
                ctx.run(new Command(List.of(h.toString(), root.toString()), env, null, null, "hook " + h.getFileName(), false));
            }
            ctx.progress(hooks.size(), hooks.size(), "hooks done");
        }
        return null;
    }
}
