package dev.jxen.customize;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.error.InvalidInputException;
import dev.jxen.guest.Sandbox;
import dev.jxen.install.BaseTree;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.Command;
import dev.jxen.system.FileTrust;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the hooks for the guest's distribution with the guest's root as their one argument, each in a
 * sandbox of its own (see {@link Sandbox}).
 */
public final class HookStage implements Stage<Void> {
    private final ImageSpec spec;
    private final ConfigSources sources;
    private final Sandbox.Policy policy;
    private final StageResult<MountedRoot> mounted;
    private final StageResult<BaseTree> base;

    /** @param base the base install's result, for the mirror it used; null where there was none (update) */
    public HookStage(ImageSpec spec, ConfigSources sources, Sandbox.Policy policy, StageResult<MountedRoot> mounted, StageResult<BaseTree> base) {
        this.spec = spec;
        this.sources = sources;
        this.policy = policy;
        this.mounted = mounted;
        this.base = base;
    }

    @Override
    public String name() {
        return "hooks";
    }

    private List<Path> hooks() {
        return HookRunner.hooksFor(sources.hookDirs(), spec.install().dist(), spec.install().family());
    }

    @Override
    public List<PlannedAction> plan() {
        if (!spec.customize().hooks()) {
            return List.of(PlannedAction.note("--hooks=0: no hooks run"));
        }
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.note("each hook runs in namespaces of its own with the guest's proc, sys, a minimal /dev and a private /tmp"
                + (policy.trust() == Sandbox.Trust.UNTRUSTED ? "; the guest is untrusted: the dom0 is read-only to it" : "")
                + ", and a policy-rc.d that stops daemons starting"));
        for (Path h : hooks()) {
            out.add(PlannedAction.run(Command.of(h.toString(), "MOUNTPOINT")));
        }
        return out;
    }

    @Override
    public void verify() {
        if (spec.customize().hooks()) {
            Sandbox.requireTools();
            List<String> untrusted = new ArrayList<>();
            for (Path h : hooks()) {
                FileTrust.problem(h).ifPresent(untrusted::add);
            }
            if (!untrusted.isEmpty()) {
                throw new InvalidInputException(untrusted.stream().map(p -> "hook " + p + "; hooks run as root, so jxen runs only hooks that only root can change").toList());
            }
        }
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        if (!spec.customize().hooks()) {
            ctx.info("--hooks=0: skipping hooks");
            return null;
        }
        String mirror = ctx.find(base).map(BaseTree::mirror).orElse(spec.install().mirror().orElse(null));
        Map<String, String> env = HookEnvironment.of(spec, mirror, sources.hookLib());
        List<Path> hooks = hooks();
        try (GuestWork w = GuestWork.open(ctx, policy, ctx.get(mounted).root())) {
            String root = w.guest().path().toString();
            int i = 0;
            for (Path h : hooks) {
                ctx.progress(i++, hooks.size(), h.getFileName().toString());
                ctx.run(w.sandbox().wrap(new Command(List.of(h.toString(), root), env, null, null, "hook " + h.getFileName(), false)));
            }
            ctx.progress(hooks.size(), hooks.size(), "hooks done");
        }
        return null;
    }
}
