package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Creates one image file per partition under {@code DIR/domains/HOST/}, sparse or fully allocated. */
public final class ImageFileStage implements Stage<GuestDisks> {
    private final ImageSpec spec;

    public ImageFileStage(ImageSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public List<PlannedAction> plan() {
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.create(StoragePaths.domainDir(spec) + "/", "directory"));
        for (GuestDisk d : GuestDisks.layout(spec).disks()) {
            out.add(PlannedAction.create(d.path(), d.partition().size() + (spec.storage().sparse() ? " sparse" : " full")
                    + " image, " + d.partition().type() + ", guest disk " + d.xenDevice()));
        }
        return out;
    }

    @Override
    public void verify() {
        if (spec.run().force()) {
            return;
        }
        for (GuestDisk d : GuestDisks.layout(spec).disks()) {
            if (Files.exists(Path.of(d.path()))) {
                throw new HostStateException("the image " + d.path() + " already exists",
                        "perhaps you should remove the old guest with jxen-delete-image, choose another --hostname, or pass --force to overwrite it");
            }
        }
    }

    @Override
    public GuestDisks run(StageContext ctx) throws Exception {
        GuestDisks disks = GuestDisks.layout(spec);
        Path dir = StoragePaths.domainDir(spec);
        Path first = firstMissing(dir);
        Files.createDirectories(dir);
        if (first != null) {
            ctx.undo().rollback("remove " + first, () -> removeEmptyDirs(dir, first));
        }
        for (GuestDisk d : disks.disks()) {
            Path img = Path.of(d.path());
            if (Files.exists(img)) {
                ctx.warn("--force: replacing the existing image " + img);
                Files.delete(img);
            }
            long bytes = d.partition().size().bytes();
            if (spec.storage().sparse()) {
                try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                    ctx.undo().rollback("remove " + img, () -> Files.deleteIfExists(img));
                    f.setLength(bytes);
                }
            } else {
                ctx.undo().rollback("remove " + img, () -> Files.deleteIfExists(img));
                ctx.run(Command.of("fallocate", "-l", String.valueOf(bytes), img.toString()));
            }
            ctx.info("created " + img + " (" + d.partition().size() + ")");
        }
        return disks;
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

    private static void removeEmptyDirs(Path from, Path upTo) throws java.io.IOException {
        Path p = from;
        while (p != null && p.startsWith(upTo)) {
            try (var s = Files.list(p)) {
                if (s.findAny().isPresent()) {
                    return;
                }
            }
            Files.delete(p);
            p = p.getParent();
        }
    }
}
