package dev.jxen.storage;

import dev.jxen.system.SystemUndo;
import dev.jxen.config.ImageSpec;
import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.system.Command;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Creates one image file per partition under {@code DIR/domains/HOST/}, sparse or fully allocated;
 * for a --force create, under the new guest's own directory, beside the old guest, which it never
 * touches.
 */
public final class ImageFileStage implements Stage<GuestDisks> {
    private final ImageSpec spec;
    private final StoragePaths.Name name;
    private final StageResult<Optional<RootClone>> clone;

    /**
     * @param name  FINAL for a create, NEW when a --force create replaces an existing guest
     * @param clone the cached image to clone the root from, if any; absent where there is none to look for
     */
    public ImageFileStage(ImageSpec spec, StoragePaths.Name name, StageResult<Optional<RootClone>> clone) {
        this.spec = spec;
        this.name = name;
        this.clone = clone;
    }

    @Override
    public String name() {
        return "storage";
    }

    /** The disks this stage makes, under the names it makes them: its plan and its run both use these. */
    private GuestDisks disks() {
        return GuestDisks.layout(spec, name);
    }

    @Override
    public Optional<GuestDisks> planned(Plans plans) {
        return Optional.of(disks());
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.create(StoragePaths.domainDir(spec, name) + "/", name == StoragePaths.Name.NEW
                ? "directory of the new guest, beside the old one until the new one is complete" : "directory"));
        for (GuestDisk d : disks().disks()) {
            out.add(PlannedAction.create(d.path(), d.partition().size() + (spec.storage().sparse() ? " sparse" : " full")
                    + " image, " + d.partition().type() + ", guest disk " + d.xenDevice()));
            if (!spec.storage().sparse()) { // a cloned root too: the copy is sparse, then allocated whole
                out.add(PlannedAction.run(allocate(d.partition().size().bytes(), Path.of(d.path()))));
            }
        }
        return out;
    }

    /** About what a base system with its kernel writes into a sparse root image (773M measured for bookworm). */
    static final long BASE_SYSTEM_BYTES = 1L << 30;

    /**
     * Refuses a directory whose filesystem cannot hold what the create writes: the whole size of full
     * images, and for sparse ones the smaller of their size and what a base system takes. The read-only
     * fsck after the create is what proves the data reached the disk; this check only refuses early.
     */
    private void checkFreeSpace() {
        long total = GuestDisks.layout(spec).disks().stream().mapToLong(d -> d.partition().size().bytes()).sum();
        long needed = spec.storage().sparse() ? Math.min(total, BASE_SYSTEM_BYTES) : total;
        Path existing = StoragePaths.domainDir(spec, name);
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        try {
            long free = Files.getFileStore(existing).getUsableSpace();
            if (free < needed) {
                throw new HostStateException(existing + " has " + (free >> 20) + "M free; this guest's images need about " + (needed >> 20)
                        + "M written to them (" + (spec.storage().sparse() ? "sparse" : "fully allocated") + ", " + (total >> 20) + "M in all)",
                        "free space there, or choose another --dir");
            }
        } catch (java.io.IOException e) {
            throw new HostStateException("cannot tell how much space " + existing + " has: " + e.getMessage(), "check the directory");
        }
    }

    @Override
    public void verify() {
        checkFreeSpace();
        if (name == StoragePaths.Name.NEW) {
            for (StoragePaths.Name n : List.of(StoragePaths.Name.NEW, StoragePaths.Name.OLD)) {
                Path left = StoragePaths.domainDir(spec, n);
                if (Files.exists(left, LinkOption.NOFOLLOW_LINKS)) {
                    throw new HostStateException(left + " is left from a --force create that did not finish",
                            "run: jxen recover " + spec.hostname() + " (or remove it by hand once you know it holds nothing you need)");
                }
            }
            return;
        }
        for (GuestDisk d : GuestDisks.layout(spec).disks()) {
            if (Files.exists(Path.of(d.path()), LinkOption.NOFOLLOW_LINKS)) {
                throw new HostStateException("the image " + d.path() + " already exists",
                        "perhaps you should remove the old guest with jxen-delete-image, choose another --hostname, or pass --force to replace it");
            }
        }
    }

    @Override
    public GuestDisks run(StageContext ctx) throws Exception {
        GuestDisks disks = disks();
        Path dir = StoragePaths.domainDir(spec, name);
        Path first = firstMissing(dir);
        Files.createDirectories(dir);
        if (first != null) {
            ctx.undo().rollback(new SystemUndo.RemoveEmptyDirs(dir, first));
        }
        for (GuestDisk d : disks.disks()) {
            Path img = Path.of(d.path());
            long bytes = d.partition().size().bytes();
            // made with O_EXCL: an image that appeared since the checks is never overwritten
            Files.createFile(img);
            ctx.undo().rollback(new SystemUndo.RemoveFile(img));
            Optional<RootClone> from = d.partition().isRoot() ? ctx.find(clone).flatMap(c -> c) : Optional.empty();
            if (from.isPresent()) {
                cloneRoot(ctx, from.get(), d, img);
                continue;
            }
            if (spec.storage().sparse()) {
                try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                    f.setLength(bytes);
                }
            } else {
                ctx.run(allocate(bytes, img));
            }
            ctx.info("created " + img + " (" + d.partition().size() + ")");
        }
        return disks;
    }

    /**
     * The root image as a clone of the cached base image: a reflink where the filesystem shares
     * extents, else a sparse copy; then grown to the root's size and given its own UUID and label.
     */
    private void cloneRoot(StageContext ctx, RootClone from, GuestDisk d, Path img) throws Exception {
        long bytes = d.partition().size().bytes();
        boolean reflink = ctx.tryRun(Command.of("cp", "--reflink=always", from.image().toString(), img.toString())).ok();
        if (!reflink) {
            ctx.run(Command.of("cp", "--reflink=never", "--sparse=always", from.image().toString(), img.toString()));
        }
        if (spec.storage().sparse()) {
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                f.setLength(bytes);
            }
        } else {
            ctx.run(allocate(bytes, img));
        }
        ctx.run(Command.of("resize2fs", "-f", img.toString()).withLabel("resize2fs"));
        ctx.run(Command.of("tune2fs", "-U", "random", "-L", FilesystemStage.label(d), img.toString()).withLabel("tune2fs"));
        ctx.info("created " + img + " (" + d.partition().size() + ") as a " + (reflink ? "reflink clone" : "sparse copy")
                + " of the cached base image " + from.key().substring(0, 12));
    }

    /** Allocates the whole of a full (not sparse) image. */
    private static Command allocate(long bytes, Path img) {
        return Command.of("fallocate", "-l", String.valueOf(bytes), img.toString());
    }

    private static Path firstMissing(Path dir) {
        Path p = dir;
        Path missing = null;
        while (p != null && !Files.exists(p)) {
            missing = p;
            p = p.getParent();
        }
        return missing;
    }

}
