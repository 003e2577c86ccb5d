package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.install.cache.BaseTreeCache;
import dev.jxen.install.cache.CacheManifest;
import dev.jxen.mirror.MirrorAnswer;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.Ext4Superblock;
import dev.jxen.storage.GuestDisk;
import dev.jxen.storage.GuestDisks;
import dev.jxen.storage.RootClone;
import dev.jxen.storage.StoragePaths;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether the root image of a guest in image files can be cloned from the base-tree cache's ready
 * filesystem image of its base system, instead of being formatted and filled from the tarball: the
 * entry must match the spec as the base install would look it up, the root must be ext4, and the
 * image no larger than the root. The clone is a reflink (FICLONE) where the images and the cache
 * share a filesystem that can share extents (XFS, btrfs), else a sparse copy.
 */
public final class RootCloneStage implements Stage<Optional<RootClone>> {
    private final ImageSpec spec;
    private final StageResult<MirrorAnswer> mirror;
    private final StoragePaths.Name name;

    public RootCloneStage(ImageSpec spec, StageResult<MirrorAnswer> mirror, StoragePaths.Name name) {
        this.spec = spec;
        this.mirror = mirror;
        this.name = name;
    }

    /**
     * True when a clone can stand for formatting and unpacking the root of this spec: images in a
     * directory, an ext4 root that is the only filesystem (the base of a layout with /var or /home
     * partitions spans them), and a base from the mirror through the cache.
     */
    public static boolean applies(ImageSpec spec) {
        List<GuestDisk> filesystems = GuestDisks.layout(spec).disks().stream().filter(d -> !d.partition().isSwap()).toList();
        boolean clonable = spec.storage().target() == ImageSpec.Target.DIR
                || spec.storage().target() == ImageSpec.Target.LVM && spec.storage().lvmThin() != null;
        return clonable && spec.storage().format() && BaseRecipe.cached(spec) && filesystems.size() == 1 && filesystems.get(0).partition().isRoot()
                && filesystems.get(0).partition().type().equals("ext4");
    }

    @Override
    public String name() {
        return "base image";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        GuestDisk root = GuestDisks.layout(spec, name).root();
        if (spec.storage().target() == ImageSpec.Target.LVM) {
            return List.of(PlannedAction.note("if the base-tree cache " + spec.install().caches().baseDir() + " holds a ready image of "
                    + spec.install().dist() + "/" + spec.install().arch() + " for this mirror and installer, " + root.path()
                    + " is a thin snapshot of the thin volume of that image in " + spec.storage().vg() + "/" + spec.storage().lvmThin()
                    + ", grown to " + root.partition().size() + " with a new UUID, instead of formatted and unpacked"));
        }
        return List.of(PlannedAction.note("if the base-tree cache " + spec.install().caches().baseDir() + " holds a ready image of "
                + spec.install().dist() + "/" + spec.install().arch() + " for this mirror and installer, " + root.path() + " is "
                + howCloned(Path.of(root.path()).getParent(), spec.install().caches().baseDir()) + " of it, grown to " + root.partition().size()
                + " with a new UUID, instead of formatted and unpacked"));
    }

    /** "a reflink clone" where the guest's images and the cache share a filesystem that can share extents, else why not. */
    static String howCloned(Path imageDir, Path cacheDir) {
        try {
            FileStore images = Files.getFileStore(existing(imageDir));
            FileStore cache = Files.getFileStore(existing(cacheDir));
            boolean shares = images.type().equals("xfs") || images.type().equals("btrfs");
            if (shares && images.equals(cache)) {
                return "a reflink clone (" + images.type() + ")";
            }
            return "a sparse copy (" + (shares ? "the cache is on another filesystem than the images"
                    : images.type() + " cannot share extents; XFS and btrfs can") + ")";
        } catch (IOException e) {
            return "a reflink clone or a sparse copy";
        }
    }

    private static Path existing(Path p) {
        Path at = p.toAbsolutePath();
        while (at.getParent() != null && !Files.exists(at)) {
            at = at.getParent();
        }
        return at;
    }

    @Override
    public Optional<RootClone> run(StageContext ctx) throws Exception {
        CacheManifest manifest = BaseRecipe.manifest(spec, BaseRecipe.installed(spec, ctx, null), ctx.get(mirror));
        Optional<BaseTreeCache.Entry> entry = new BaseTreeCache(spec.install().caches().baseDir()).lookup(manifest);
        if (entry.isEmpty() || entry.get().image().isEmpty()) {
            ctx.info(entry.isEmpty() ? "no cached base tree to clone the root from" : "the cached base tree has no ready image yet");
            return Optional.empty();
        }
        Path image = entry.get().image().get();
        Optional<String> broken = Ext4Superblock.mismatch(image);
        if (broken.isPresent()) {
            BaseTreeCache cache = new BaseTreeCache(spec.install().caches().baseDir());
            cache.quarantine(entry.get());
            ctx.warn("the cached base image " + image + " is broken (" + broken.get() + "); moved it aside, and installing afresh instead");
            return Optional.empty();
        }
        long rootBytes = GuestDisks.layout(spec, name).root().partition().size().bytes();
        if (Files.size(image) > rootBytes) {
            ctx.info("the cached base image (" + (Files.size(image) >> 20) + "M) is larger than the root (" + (rootBytes >> 20)
                    + "M): formatting and unpacking instead");
            return Optional.empty();
        }
        new BaseTreeCache(spec.install().caches().baseDir()).touch(entry.get());
        ctx.info("the root will be a clone of the cached base image " + entry.get().key().substring(0, 12));
        return Optional.of(new RootClone(image, entry.get().key()));
    }
}
