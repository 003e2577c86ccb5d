package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.install.cache.BaseTreeCache;
import dev.jxen.install.cache.CacheManifest;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.Ext4Features;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.SystemUndo;
import dev.jxen.system.ToolCheck;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a base tree fresh from the installer in the base-tree cache, before anything else is
 * written to it: as a tarball (without host keys or machine-id) and, where roots can be cloned, as a
 * ready ext4 image; then prunes the least recently used entries and releases the key's fill lock.
 * An entry unpacked without a ready image gets one. A cache that cannot be written costs the next
 * create speed, not this guest: the stage warns and goes on.
 */
public final class BaseStoreStage implements Stage<Void> {
    private final ImageSpec spec;
    private final StageResult<MountedRoot> mounted;
    private final StageResult<BaseLookup> lookup;

    public BaseStoreStage(ImageSpec spec, StageResult<MountedRoot> mounted, StageResult<BaseLookup> lookup) {
        this.spec = spec;
        this.mounted = mounted;
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "store base";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        Path dir = spec.install().caches().baseDir();
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.write(dir + "/KEY.tar.zst", "if the base was installed: store the fresh base tree (without host keys or machine-id)"));
        if (RootCloneStage.applies(spec)) {
            out.add(PlannedAction.write(dir + "/KEY.ext4", "and the same tree as a ready filesystem image, made with "
                    + "mke2fs -d (also after unpacking a tarball that has none), which later roots are cloned from"));
        }
        return out;
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        BaseLookup found = ctx.get(lookup);
        Path root = ctx.get(mounted).root();
        BaseTreeCache cache = new BaseTreeCache(spec.install().caches().baseDir());
        if (found instanceof BaseLookup.Hit hit) {
            if (hit.storeImage()) {
                storeImage(ctx, cache, hit.manifest(), root);
            }
            return null;
        }
        BaseLookup.Miss miss = (BaseLookup.Miss) found;
        store(ctx, cache, miss.manifest(), root);
        ctx.undo().release(miss.fillLock());
        return null;
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
            for (BaseTreeCache.Entry gone : cache.prune(spec.install().caches().baseMax().bytes(), manifest.key())) {
                ctx.info("pruned the least recently used base tree " + gone.key().substring(0, 12));
            }
        } catch (Exception e) {
            ctx.warn("could not store the base tree in " + cache.dir() + ": " + e.getMessage());
            deleteQuietly(staging);
        }
    }

    /** The tree as a ready ext4 image, sized to what the root's filesystem holds with room for the hooks. */
    private void storeImage(StageContext ctx, BaseTreeCache cache, CacheManifest manifest, Path root) {
        if (ToolCheck.find("mke2fs").isEmpty()) {
            return;
        }
        Path staging = cache.imageStagingFile(manifest);
        try {
            var entry = ctx.undo().cleanup(new SystemUndo.RemoveFile(staging));
            FileStore fs = Files.getFileStore(root);
            long used = fs.getTotalSpace() - fs.getUnallocatedSpace();
            long bytes = ((used + used / 4 + (64L << 20)) >> 22) << 22;
            ctx.run(BaseTreeCache.imageCommand(root, staging, bytes, Ext4Features.options(spec.install().dist())));
            if (cache.publishImage(staging, manifest)) {
                ctx.info("kept the base tree also as a ready filesystem image (" + (bytes >> 20) + "M), which later roots are cloned from");
            }
            ctx.undo().forget(entry);
        } catch (Exception e) {
            ctx.warn("could not make a ready image of the base tree in " + cache.dir() + ": " + e.getMessage());
            deleteQuietly(staging);
        }
    }

    private static void deleteQuietly(Path staging) {
        try {
            Files.deleteIfExists(staging);
        } catch (IOException ignored) {
            // left for the next prune
        }
    }
}
