package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.Command;
import dev.jxen.system.SystemUndo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The base-tree cache's ready image kept as a thin volume of the guest's pool
 * ({@code VG/jxen-base-KEY}, read-only), from which each guest's root is a thin snapshot: a create
 * then writes only what differs from the base. The volume is filled once, from the cached image,
 * under a name of its own ({@code ...-filling}) and renamed only when complete, so that no guest is
 * ever cloned from half a base; creates at once wait for one another's fill.
 */
final class ThinBase {
    private ThinBase() {
    }

    static String name(RootClone from) {
        return "jxen-base-" + from.key().substring(0, 16);
    }

    private static boolean exists(StageContext ctx, String vg, String lv) {
        return ctx.tryRun(Command.of("lvs", "--noheadings", "-o", "lv_name", vg + "/" + lv).capturing()).ok();
    }

    /** The base volume of {@code from} in the spec's pool, filled now if it is not there yet. */
    static String ensure(StageContext ctx, ImageSpec spec, RootClone from, Path lockDir) throws IOException {
        String vg = spec.storage().location();
        String base = name(from);
        if (exists(ctx, vg, base)) {
            return base;
        }
        Files.createDirectories(lockDir);
        try (FileChannel ch = FileChannel.open(lockDir.resolve("lvm-" + vg + "-" + base + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            if (exists(ctx, vg, base)) {
                return base;
            }
            String filling = base + "-filling";
            if (exists(ctx, vg, filling)) {
                // left by a fill that did not finish (under this lock, nothing else fills it)
                ctx.run(Command.of("lvremove", "--yes", vg + "/" + filling));
            }
            long mib = (Files.size(from.image()) + (1 << 20) - 1) >> 20;
            ctx.run(Command.of("lvcreate", "--yes", "--thin", "--virtualsize", mib + "m", "--name", filling, vg + "/" + spec.storage().lvmThin()));
            UndoStack.Entry undo = ctx.undo().rollbackAlways(new SystemUndo.RunCommand(
                    java.util.List.of("lvremove", "--yes", vg + "/" + filling), "remove the half-filled base volume " + vg + "/" + filling));
            // conv=sparse leaves the image's holes unwritten: they stay unallocated in the pool
            ctx.run(Command.of("dd", "if=" + from.image(), "of=/dev/" + vg + "/" + filling, "bs=4M", "conv=sparse,fsync", "status=none")
                    .withLabel("dd"));
            ctx.run(Command.of("lvchange", "--yes", "--permission", "r", vg + "/" + filling));
            ctx.run(Command.of("lvrename", vg, filling, base));
            ctx.undo().forget(undo);
            ctx.info("the cached base image " + from.key().substring(0, 12) + " is now the thin volume " + vg + "/" + base);
            return base;
        }
    }
}
