package dev.jxen.customize;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.error.InvalidInputException;
import dev.jxen.guest.Sandbox;
import dev.jxen.install.BaseTree;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
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
    private final ConfigSources sources;
    private final Sandbox.Policy policy;

    public HookStage(ConfigSources sources, Sandbox.Policy policy) {
        this.sources = sources;
        this.policy = policy;
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
        out.add(PlannedAction.note("each hook runs in namespaces of its own with the guest's proc, sys, a minimal /dev and a private /tmp"
                + (policy.trust() == Sandbox.Trust.UNTRUSTED ? "; the guest is untrusted: the dom0 is read-only to it" : "")
                + ", and a policy-rc.d that stops daemons starting"));
        for (Path h : hooks(spec)) {
            out.add(PlannedAction.run(Command.of(h.toString(), "MOUNTPOINT")));
        }
        return out;
    }

    @Override
    public void verify(ImageSpec spec) {
        if (spec.customize().hooks()) {
            Sandbox.requireTools();
            List<String> untrusted = new ArrayList<>();
            for (Path h : hooks(spec)) {
                FileTrust.problem(h).ifPresent(untrusted::add);
            }
            if (!untrusted.isEmpty()) {
                throw new InvalidInputException(untrusted.stream().map(p -> "hook " + p + "; hooks run as root, so jxen runs only hooks that only root can change").toList());
            }
        }
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        ImageSpec spec = ctx.spec();
        if (!spec.customize().hooks()) {
            ctx.info("--hooks=0: skipping hooks");
            return null;
        }
        String mirror = ctx.optionalResult(BaseTree.class).map(BaseTree::mirror).orElse(spec.install().mirror().orElse(null));
        Map<String, String> env = HookEnvironment.of(spec, mirror, sources.hookLib());
        List<Path> hooks = hooks(spec);
        try (GuestWork w = GuestWork.open(ctx, policy)) {
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
