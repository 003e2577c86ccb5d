package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.error.StageFailedException;
import dev.jxen.guest.GuestRoot;
import dev.jxen.guest.LinkAudit;
import dev.jxen.mirror.AptProxy;
import dev.jxen.mirror.MirrorAnswer;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.event.JxenEvent.Level;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.Command;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.ToolCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts the base system into the mounted root with the spec's installer (debootstrap, mmdebstrap,
 * tar or copy), unless the base cache stage found it in the cache, and scrubs the fresh tree of
 * machine identity. A tree from a local source must keep its links inside the guest.
 */
public final class BaseInstallStage implements Stage<BaseTree> {
    private final ImageSpec spec;
    private final StageResult<MountedRoot> mounted;
    private final StageResult<MirrorAnswer> mirrorCheck;
    private final StageResult<BaseLookup> lookup;
    private final Path prefetch;

    /**
     * @param mirrorCheck the mirror check's answer, for the installers that fetch from a mirror; else absent
     * @param lookup      what the base cache stage found; absent without the cache
     * @param prefetch    jxen's mmdebstrap hooks that download while it installs (see {@link MmdebstrapInstaller}); null for none
     */
    public BaseInstallStage(ImageSpec spec, StageResult<MountedRoot> mounted, StageResult<MirrorAnswer> mirrorCheck,
                            StageResult<BaseLookup> lookup, Path prefetch) {
        this.spec = spec;
        this.mounted = mounted;
        this.mirrorCheck = mirrorCheck;
        this.lookup = lookup;
        this.prefetch = prefetch;
    }

    @Override
    public String name() {
        return "base install";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        var in = spec.install();
        if (!in.enabled()) {
            out.add(PlannedAction.note("--install=0: no base system is installed"));
            return out;
        }
        Installer installer = BaseRecipe.planned(spec, prefetch);
        if (in.mirror().isPresent() && installer.cacheable()) {
            out.add(PlannedAction.note("mirror " + in.mirror().get() + " (" + in.mirrorOrigin() + ")"));
        }
        installer.notes(spec).forEach(n -> out.add(PlannedAction.note(n)));
        for (Command c : installer.commands(spec, BaseRecipe.PLAN_ROOT, Map.of())) {
            out.add(PlannedAction.run(c));
        }
        return out;
    }

    @Override
    public void verify() {
        if (!spec.install().enabled()) {
            return;
        }
        switch (spec.install().method()) {
            case MMDEBSTRAP -> ToolCheck.require("mmdebstrap", "for --install-method mmdebstrap");
            case DEBOOTSTRAP -> ToolCheck.require(DebootstrapInstaller.command(spec), "to install the base system");
            case TAR -> ToolCheck.require("tar", "to unpack the base system");
            case COPY -> ToolCheck.require("cp", "to copy the base system");
            case INSTALLER -> throw new IllegalStateException("the Debian Installer route has no base install stage");
        }
    }

    @Override
    public BaseTree run(StageContext ctx) throws Exception {
        var in = spec.install();
        if (!in.enabled()) {
            ctx.info("--install=0: not installing a base system");
            return new BaseTree.None();
        }
        Optional<BaseLookup> found = ctx.find(lookup);
        if (found.isPresent() && found.get() instanceof BaseLookup.Hit hit) {
            ctx.info("the base system came from the cache (" + hit.tree().describe() + ")");
            return hit.tree();
        }
        ctx.info("installing with " + in.method().key() + " (" + in.methodWhy() + ")");
        Path root = ctx.get(mounted).root();
        Installer installer = BaseRecipe.installed(spec, ctx, prefetch);
        if (!installer.cacheable()) {
            return local(ctx, installer, root);
        }
        MirrorAnswer checked = ctx.get(mirrorCheck);
        if (in.caches().debs()) {
            Files.createDirectories(in.caches().debDir());
        }
        Optional<AptProxy.Found> proxy = checked.proxy();
        Map<String, String> env = proxy.map(p -> Map.of("http_proxy", p.url(), "HTTP_PROXY", p.url())).orElse(Map.of());
        InstallProgress progress = new InstallProgress((pct, phase) -> ctx.estimatedProgress(pct, 100, phase));
        installer.notes(spec).forEach(ctx::info);
        for (Command c : installer.commands(spec, root, env)) {
            ctx.events().log(Level.COMMAND, ctx.stage(), c.display());
            var result = ctx.runner().run(c, line -> {
                ctx.events().log(Level.DEBUG, ctx.stage(), c.label() + ": " + line);
                progress.accept(line);
            });
            if (!result.ok()) {
                throw CommandRunner.failure(c, result);
            }
        }
        ctx.progress(100, 100, "installed");
        IdentityFiles.scrub(GuestRoot.at(root));
        return new BaseTree.Installed(in.method().key(), checked.mirror());
    }

    /** A tarball or directory of the dom0's: unpacked or copied, and refused if its links lead out of the guest. */
    private BaseTree local(StageContext ctx, Installer installer, Path root) throws Exception {
        var in = spec.install();
        for (Command c : installer.commands(spec, root, Map.of())) {
            ctx.run(c);
        }
        List<String> leaving = LinkAudit.linksLeaving(root);
        if (!leaving.isEmpty()) {
            throw new StageFailedException(name(), "the " + in.method().key() + " source " + in.source()
                    + " holds links that lead out of the guest where jxen and hooks write: " + String.join(", ", leaving),
                    "make these links relative to the tree, or remove them, and run again", null);
        }
        IdentityFiles.scrub(GuestRoot.at(root));
        return new BaseTree.Local(in.method().key());
    }
}
