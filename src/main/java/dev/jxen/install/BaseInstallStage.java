package dev.jxen.install;

import dev.jxen.system.SystemUndo;
import dev.jxen.config.ImageSpec;
import dev.jxen.error.StageFailedException;
import dev.jxen.guest.GuestRoot;
import dev.jxen.guest.LinkAudit;
import dev.jxen.install.cache.BaseTreeCache;
import dev.jxen.install.cache.CacheManifest;
import dev.jxen.mirror.AptProxy;
import dev.jxen.mirror.MirrorAnswer;
import dev.jxen.mirror.ReleaseProbe;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.event.JxenEvent.Level;
import dev.jxen.storage.MountedRoot;
import dev.jxen.storage.RootClone;
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
 * Puts the base system into the mounted root: from the base-tree cache when an entry's manifest
 * matches, otherwise with the installer, after checking the mirror in seconds. A fresh tree is
 * scrubbed of machine identity and then stored in the cache.
 */
public final class BaseInstallStage implements Stage<BaseTree> {
    private final ImageSpec spec;
    private final StageResult<MountedRoot> mounted;
    private final StageResult<MirrorAnswer> mirrorCheck;
    private final StageResult<Optional<RootClone>> clone;
    private final Path prefetch;

    /**
     * @param mirrorCheck the mirror check's answer, for the installers that fetch from a mirror; else absent
     * @param clone       the cached image the root was cloned from, which holds the base already; absent where there is none to look for
     * @param prefetch    jxen's mmdebstrap hooks that download while it installs (see {@link MmdebstrapInstaller}); null for none
     */
    public BaseInstallStage(ImageSpec spec, StageResult<MountedRoot> mounted, StageResult<MirrorAnswer> mirrorCheck,
                            StageResult<Optional<RootClone>> clone, Path prefetch) {
        this.spec = spec;
        this.mounted = mounted;
        this.mirrorCheck = mirrorCheck;
        this.clone = clone;
        this.prefetch = prefetch;
    }

    /** True when this spec installs from a mirror, which is then checked first. */
    public static boolean fromMirror(ImageSpec spec) {
        return spec.install().enabled() && spec.install().mirror().isPresent() && spec.install().method() != ImageSpec.InstallMethod.INSTALLER
                && installer(spec).cacheable();
    }
    private static final Path PLAN_ROOT = Path.of("MOUNTPOINT");

    @Override
    public String name() {
        return "base install";
    }

    /** The installer of this spec; {@code versions} tells an installer's package version, which is part of the cache key. */
    static Installer installer(ImageSpec spec, java.util.function.Function<String, String> versions) {
        return installer(spec, versions, null);
    }

    private static Installer installer(ImageSpec spec, java.util.function.Function<String, String> versions, Path prefetch) {
        return switch (spec.install().method()) {
            case MMDEBSTRAP -> new MmdebstrapInstaller(versions.apply("mmdebstrap"), prefetch);
            case TAR -> new TarInstaller();
            case COPY -> new CopyInstaller();
            case DEBOOTSTRAP -> new DebootstrapInstaller(versions.apply("debootstrap"));
            case INSTALLER -> throw new IllegalStateException("the Debian Installer route has no base install stage");
        };
    }

    private static Installer installer(ImageSpec spec) {
        return installer(spec, pkg -> "(version read when it runs)");
    }

    static String packageVersion(StageContext ctx, String pkg) {
        var r = ctx.tryRun(Command.of("dpkg-query", "-W", "-f", "${Version}", pkg).capturing().withTimeout(java.time.Duration.ofSeconds(30)));
        return r.ok() && !r.stdout().isBlank() ? r.stdout().strip() : "unknown";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        var in = spec.install();
        if (!in.enabled()) {
            out.add(PlannedAction.note("--install=0: no base system is installed"));
            return out;
        }
        Installer installer = installer(spec, pkg -> "(version read when it runs)", prefetch);
        if (in.mirror().isPresent() && installer.cacheable()) {
            out.add(PlannedAction.note("mirror " + in.mirror().get() + " (" + in.mirrorOrigin() + ")"));
            if (clone.present()) {
                out.add(PlannedAction.note("if the root is a clone of the cached base image, it holds the base system already; otherwise:"));
            }
            if (in.baseCache()) {
                out.add(PlannedAction.note("if the base-tree cache " + in.baseCacheDir() + " holds " + in.dist() + "/" + in.arch()
                        + " for this mirror and installer, unpack it; otherwise:"));
            }
        }
        installer.notes(spec).forEach(n -> out.add(PlannedAction.note(n)));
        for (Command c : installer.commands(spec, PLAN_ROOT, Map.of())) {
            out.add(PlannedAction.run(c));
        }
        if (in.baseCache() && installer.cacheable()) {
            out.add(PlannedAction.write(in.baseCacheDir() + "/KEY.tar.zst", "store the fresh base tree (without host keys or machine-id)"));
            if (RootCloneStage.applies(spec)) {
                out.add(PlannedAction.write(in.baseCacheDir() + "/KEY.ext4", "and the same tree as a ready filesystem image, made with "
                        + "mke2fs -d (also after unpacking a tarball that has none), which later roots are cloned from"));
            }
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
        Path root = ctx.get(mounted).root();
        if (!in.enabled()) {
            ctx.info("--install=0: not installing a base system");
            return new BaseTree("none", null, false, null, null);
        }
        ctx.info("installing with " + in.method().key() + " (" + in.methodWhy() + ")");
        Installer local = installer(spec);
        if (!local.cacheable()) {
            for (Command c : local.commands(spec, root, Map.of())) {
                ctx.run(c);
            }
            List<String> leaving = LinkAudit.linksLeaving(root);
            if (!leaving.isEmpty()) {
                throw new StageFailedException(name(), "the " + in.method().key() + " source " + in.source()
                        + " holds links that lead out of the guest where jxen and hooks write: " + String.join(", ", leaving),
                        "make these links relative to the tree, or remove them, and run again", null);
            }
            IdentityFiles.scrub(GuestRoot.at(root));
            return new BaseTree(in.method().key(), null, false, null, null);
        }
        MirrorAnswer checked = ctx.get(mirrorCheck);
        String mirror = checked.mirror();
        Optional<AptProxy.Found> proxy = checked.proxy();
        Optional<RootClone> cloned = ctx.find(clone).flatMap(c -> c);
        if (cloned.isPresent()) {
            ctx.info("the root, a clone of the cached base image " + cloned.get().key().substring(0, 12) + ", holds the base system");
            return new BaseTree("cache", cloned.get().key(), true, mirror, proxy.map(AptProxy.Found::url).orElse(null));
        }
        Installer installer = installer(spec, pkg -> packageVersion(ctx, pkg), prefetch);
        CacheManifest manifest = manifest(spec, installer, checked);
        BaseTreeCache cache = new BaseTreeCache(in.baseCacheDir());
        if (!in.baseCache()) {
            return install(ctx, installer, root, proxy, manifest, null, mirror);
        }
        Optional<BaseTree> cached = fromCache(ctx, cache, manifest, root, mirror, proxy);
        if (cached.isPresent()) {
            return cached.get();
        }
        // one run fills a key: another that needs it waits for it, then unpacks what it stored
        try (java.nio.channels.FileChannel fill = cache.fillLock(manifest,
                () -> ctx.info("waiting for another jxen run that is filling the cache for " + in.dist() + "/" + in.arch()))) {
            cached = fromCache(ctx, cache, manifest, root, mirror, proxy);
            if (cached.isPresent()) {
                return cached.get();
            }
            ctx.info(cache.explainMiss(manifest).map(w -> "no cached base tree: " + w).orElse("no cached base tree for " + in.dist() + "/" + in.arch() + " yet"));
            return install(ctx, installer, root, proxy, manifest, cache, mirror);
        }
    }

    /** What a cache entry for this spec must match: release, installer, packages, mirror and its Release file. */
    static CacheManifest manifest(ImageSpec spec, Installer installer, MirrorAnswer checked) {
        var in = spec.install();
        ReleaseProbe.Release release = checked.release();
        return new CacheManifest(in.dist(), in.arch(), installer.identity(), "default", in.extraPackages(),
                checked.mirror(), release.date(), release.sha256(), in.keyring());
    }

    /** The cached tree, unpacked; empty on a miss, or when the entry is broken (it is then moved aside and the tree wiped). */
    private Optional<BaseTree> fromCache(StageContext ctx, BaseTreeCache cache, CacheManifest manifest, Path root, String mirror,
                                         Optional<AptProxy.Found> proxy) throws Exception {
        Optional<BaseTreeCache.Entry> hit = cache.lookup(manifest);
        if (hit.isEmpty()) {
            return Optional.empty();
        }
        ctx.info("unpacking the cached base tree " + manifest.key().substring(0, 12));
        ctx.progress(0, 100, "unpacking cached base tree");
        var r = ctx.tryRun(cache.extractCommand(hit.get(), root));
        if (!r.ok()) {
            // a full guest filesystem fails tar too: only an entry that fails its own check is broken
            var whole = ctx.tryRun(cache.checkCommand(hit.get().tarball()));
            if (whole.ok()) {
                throw new StageFailedException(name(), "unpacking the cached base tree " + hit.get().tarball() + " failed (tar exited with status "
                        + r.status() + ": " + String.join(" / ", r.tail()) + "), though the entry itself is whole",
                        "see tar's message: is a filesystem of the guest too small for the base system?", null);
            }
            cache.quarantine(hit.get());
            ctx.warn("the cached base tree " + hit.get().tarball() + " is broken (tar exited with status " + r.status() + ": "
                    + String.join(" / ", r.tail()) + "); moved it aside, and installing afresh instead");
            TreeWipe.wipe(root);
            return Optional.empty();
        }
        ctx.progress(100, 100, "unpacked cached base tree");
        cache.touch(hit.get());
        if (hit.get().image().isEmpty() && RootCloneStage.applies(spec)) {
            storeImage(ctx, cache, manifest, root);
        }
        return Optional.of(new BaseTree("cache", manifest.key(), true, mirror, proxy.map(AptProxy.Found::url).orElse(null)));
    }

    /** Installs with the installer and, with a cache, stores the fresh tree. */
    private BaseTree install(StageContext ctx, Installer installer, Path root, Optional<AptProxy.Found> proxy, CacheManifest manifest,
                             BaseTreeCache cache, String mirror) throws Exception {
        var in = spec.install();
        if (in.debCache()) {
            Files.createDirectories(in.debCacheDir());
        }
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
        if (cache != null) {
            store(ctx, cache, manifest, root);
        }
        return new BaseTree(in.method().key(), manifest.key(), false, mirror, proxy.map(AptProxy.Found::url).orElse(null));
    }

    private void store(StageContext ctx, BaseTreeCache cache, CacheManifest manifest, Path root) {
        Path staging = cache.stagingFile(manifest);
        try {
            cache.ensureDir();
            var entry = ctx.undo().cleanup(new SystemUndo.RemoveFile(staging));
            ctx.info("storing the base tree in " + cache.dir());
            ctx.run(cache.packCommand(root, staging));
            ctx.run(cache.checkCommand(staging));
            if (!cache.publish(staging, manifest)) {
                ctx.info("another run stored this base tree first; kept that one");
            }
            ctx.undo().forget(entry);
            if (RootCloneStage.applies(spec)) {
                storeImage(ctx, cache, manifest, root);
            }
            for (BaseTreeCache.Entry gone : cache.prune(spec.install().baseCacheMax().bytes(), manifest.key())) {
                ctx.info("pruned the least recently used base tree " + gone.key().substring(0, 12));
            }
        } catch (Exception e) {
            // a cache that cannot be written costs speed next time, not this guest
            ctx.warn("could not store the base tree in " + cache.dir() + ": " + e.getMessage());
            try {
                Files.deleteIfExists(staging);
            } catch (java.io.IOException ignored) {
                // left for the next prune
            }
        }
    }

    /**
     * Keeps the base tree, fresh from the installer or the tarball and before anything else is
     * written to it, also as a ready ext4 image, which later roots are cloned from. Sized to what the
     * root's filesystem holds, with room for the hooks; a failure costs the next create speed only.
     */
    private void storeImage(StageContext ctx, BaseTreeCache cache, CacheManifest manifest, Path root) {
        if (ToolCheck.find("mke2fs").isEmpty()) {
            return;
        }
        Path staging = cache.imageStagingFile(manifest);
        try {
            var entry = ctx.undo().cleanup(new SystemUndo.RemoveFile(staging));
            java.nio.file.FileStore fs = Files.getFileStore(root);
            long used = fs.getTotalSpace() - fs.getUnallocatedSpace();
            long bytes = ((used + used / 4 + (64L << 20)) >> 22) << 22;
            ctx.run(BaseTreeCache.imageCommand(root, staging, bytes, dev.jxen.storage.Ext4Features.options(spec.install().dist())));
            if (cache.publishImage(staging, manifest)) {
                ctx.info("kept the base tree also as a ready filesystem image (" + (bytes >> 20) + "M), which later roots are cloned from");
            }
            ctx.undo().forget(entry);
        } catch (Exception e) {
            ctx.warn("could not make a ready image of the base tree in " + cache.dir() + ": " + e.getMessage());
            try {
                Files.deleteIfExists(staging);
            } catch (java.io.IOException ignored) {
                // left for the next prune
            }
        }
    }
}
