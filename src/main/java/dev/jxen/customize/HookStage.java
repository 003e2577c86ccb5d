package dev.jxen.customize;

import dev.jxen.config.ConfigSources;
import dev.jxen.error.InvalidInputException;
import dev.jxen.guest.Sandbox;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.FileTrust;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs the hooks for the guest's distribution with the guest's root as their one argument, one after
 * the other in one sandbox (see {@link Sandbox#wrapEach}), as xen-tools' run-parts does; each hook's
 * output is logged under its name and a failure names the hook.
 */
public final class HookStage implements Stage<Void> {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ConfigSources sources;
    private final Sandbox.Policy policy;
    private final StageResult<MountedRoot> mounted;
    private final GuestFacts known;
    private final Function<StageContext, GuestFacts> facts;

    /**
     * @param known what is known of the guest before anything runs (a create's spec), for the plan; null
     *              when it is read from the guest (an update)
     * @param facts the guest's facts when the hooks run
     */
    public HookStage(ConfigSources sources, Sandbox.Policy policy, StageResult<MountedRoot> mounted, GuestFacts known,
                     Function<StageContext, GuestFacts> facts) {
        this.sources = sources;
        this.policy = policy;
        this.mounted = mounted;
        this.known = known;
        this.facts = facts;
    }

    @Override
    public String name() {
        return "hooks";
    }

    private List<Path> hooks(GuestFacts g) {
        return HookRunner.hooksFor(sources.hookDirs(), g.release().dist(), g.release().family());
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.note("the hooks run in turn " + Sandbox.describe(policy) + ", and a policy-rc.d that stops daemons starting"));
        if (known == null) {
            out.add(PlannedAction.note("the hooks of the guest's own release, as its /etc/os-release names it"));
            return out;
        }
        for (Path h : hooks(known)) {
            out.add(PlannedAction.run(Command.of(h.toString(), "MOUNTPOINT")));
        }
        return out;
    }

    @Override
    public void verify() {
        Sandbox.requireTools(policy.trust());
        if (known == null) {
            return;
        }
        List<String> untrusted = new ArrayList<>();
        for (Path h : hooks(known)) {
            FileTrust.problem(h).ifPresent(untrusted::add);
        }
        if (!untrusted.isEmpty()) {
            throw new InvalidInputException(untrusted.stream().map(p -> "hook " + p + "; hooks run as root, so jxen runs only hooks that only root can change").toList());
        }
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        GuestFacts g = facts.apply(ctx);
        List<Path> hooks = hooks(g);
        for (Path h : hooks) {
            FileTrust.problem(h).ifPresent(p -> {
                throw new InvalidInputException("hook " + p + "; hooks run as root, so jxen runs only hooks that only root can change");
            });
        }
        var env = HookEnvironment.of(g, sources.hookLib());
        try (GuestWork w = GuestWork.open(ctx, policy, ctx.get(mounted).root())) {
            if (!hooks.isEmpty()) {
                runAll(ctx, w.sandbox(), hooks, w.guest().path().toString(), env);
            }
            ctx.progress(hooks.size(), hooks.size(), "hooks done");
        }
        return null;
    }

    /** The hooks in one sandbox; the sandbox's marker lines tell which hook the output and a failure are of. */
    private static void runAll(StageContext ctx, Sandbox sandbox, List<Path> hooks, String root, Map<String, String> env) throws java.io.IOException {
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        String marker = HexFormat.of().formatHex(secret);
        List<Command> each = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        for (Path h : hooks) {
            markers.add(Sandbox.eachMarker(marker, each.size()));
            each.add(new Command(List.of(h.toString(), root), env, null, null, "hook " + h.getFileName(), false));
        }
        Command all = sandbox.wrapEach(hooks.stream().map(Path::toString).toList(), root, marker, env, "hooks");
        int[] current = {-1};
        CommandResult r = ctx.tryRun(all, line -> {
            int next = current[0] + 1;
            if (next < markers.size() && line.equals(markers.get(next))) {
                current[0] = next;
                ctx.progress(next, hooks.size(), hooks.get(next).getFileName().toString());
                ctx.output("hooks", "running " + each.get(next).display());
            } else {
                ctx.output(current[0] < 0 ? "hooks" : each.get(current[0]).label(), line);
            }
        });
        if (!r.ok()) {
            List<String> tail = r.tail().stream().filter(l -> !markers.contains(l)).toList();
            Command failed = current[0] < 0 ? all : each.get(current[0]);
            throw CommandRunner.failure(failed, new CommandResult(r.status(), r.stdout(), tail));
        }
    }
}
