package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.error.StageFailedException;
import dev.jxen.install.cache.BaseTreeCache;
import dev.jxen.install.cache.CacheManifest;
import dev.jxen.mirror.MirrorAnswer;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.storage.MountedRoot;
import dev.jxen.storage.RootClone;
import dev.jxen.system.ToolCheck;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks the guest's base system up in the base-tree cache: a root cloned from the cache's ready
 * image holds it already; an entry whose manifest matches is unpacked into the root. On a miss the
 * run takes the key's fill lock, so that one run installs a key while another that needs it waits,
 * and looks again once it has the lock. A broken entry is moved aside and counts as a miss.
 */
public final class BaseCacheStage implements Stage<BaseLookup> {
    private final ImageSpec spec;
    private final StageResult<MountedRoot> mounted;
    private final StageResult<MirrorAnswer> mirrorCheck;
    private final StageResult<Optional<RootClone>> clone;

    /** @param clone the cached image the root was cloned from; absent where there is none to look for */
    public BaseCacheStage(ImageSpec spec, StageResult<MountedRoot> mounted, StageResult<MirrorAnswer> mirrorCheck,
                          StageResult<Optional<RootClone>> clone) {
        this.spec = spec;
        this.mounted = mounted;
        this.mirrorCheck = mirrorCheck;
        this.clone = clone;
    }

    @Override
    public String name() {
        return "base cache";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        var in = spec.install();
        List<PlannedAction> out = new ArrayList<>();
        if (clone.present()) {
            out.add(PlannedAction.note("if the root is a clone of the cached base image, it holds the base system already; otherwise:"));
        }
        out.add(PlannedAction.note("if the base-tree cache " + in.caches().baseDir() + " holds " + in.dist() + "/" + in.arch()
                + " for this mirror and installer, unpack it into the root; otherwise the base install below makes it"));
        return out;
    }

    @Override
    public void verify() {
        ToolCheck.require("tar", "to unpack the base-tree cache");
    }

    @Override
    public BaseLookup run(StageContext ctx) throws Exception {
        var in = spec.install();
        MirrorAnswer checked = ctx.get(mirrorCheck);
        CacheManifest manifest = BaseRecipe.manifest(spec, BaseRecipe.installed(spec, ctx, null), checked);
        Optional<RootClone> cloned = ctx.find(clone).flatMap(c -> c);
        if (cloned.isPresent()) {
            ctx.info("the root, a clone of the cached base image " + cloned.get().key().substring(0, 12) + ", holds the base system");
            return new BaseLookup.Hit(new BaseTree.Cached(cloned.get().key(), checked.mirror()), manifest, false);
        }
        Path root = ctx.get(mounted).root();
        BaseTreeCache cache = new BaseTreeCache(in.caches().baseDir());
        Optional<BaseLookup> hit = unpacked(ctx, cache, manifest, root, checked.mirror());
        if (hit.isPresent()) {
            return hit.get();
        }
        // one run fills a key: another that needs it waits for it, then unpacks what it stored
        UndoStack.Entry lock = ctx.undo().cleanup(cache.fillLock(manifest,
                () -> ctx.info("waiting for another jxen run that is filling the cache for " + in.dist() + "/" + in.arch())));
        hit = unpacked(ctx, cache, manifest, root, checked.mirror());
        if (hit.isPresent()) {
            ctx.undo().release(lock);
            return hit.get();
        }
        ctx.info(cache.explainMiss(manifest).map(w -> "no cached base tree: " + w).orElse("no cached base tree for " + in.dist() + "/" + in.arch() + " yet"));
        return new BaseLookup.Miss(manifest, lock);
    }

    /** The cached tree, unpacked; empty on a miss, or when the entry is broken (it is then moved aside and the tree wiped). */
    private Optional<BaseLookup> unpacked(StageContext ctx, BaseTreeCache cache, CacheManifest manifest, Path root, String mirror) throws Exception {
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
        return Optional.of(new BaseLookup.Hit(new BaseTree.Cached(manifest.key(), mirror), manifest,
                hit.get().image().isEmpty() && RootCloneStage.applies(spec)));
    }
}
