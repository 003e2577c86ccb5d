package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.SystemUndo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The base-tree cache's ready image kept as a thin volume of the guest's pool
 * ({@code VG/jxen-base-KEY}, read-only), from which each guest's root is a thin snapshot: a create
 * then writes only what differs from the base. The volume is filled once, from the cached image,
 * under a name of its own ({@code ...-filling}) and renamed only when complete, so that no guest is
 * ever cloned from half a base. Fills, snapshots and removals of one base take turns on a lock
 * file, so that no base is removed between a create's check and its snapshot.
 */
public final class ThinBase {
    private static final Pattern NAME = Pattern.compile("jxen-base-[0-9a-f]{16}");

    private ThinBase() {
    }

    static String name(RootClone from) {
        return "jxen-base-" + from.key().substring(0, 16);
    }

    private static boolean exists(StageContext ctx, String vg, String lv) {
        return ctx.tryRun(Command.of("lvs", "--noheadings", "-o", "lv_name", vg + "/" + lv).capturing()).ok();
    }

    private static FileChannel lockFile(Path lockDir, String vg, String base) throws IOException {
        Files.createDirectories(lockDir);
        return FileChannel.open(lockDir.resolve("lvm-" + vg + "-" + base + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /**
     * Runs {@code snapshot} (the lvcreate of a root, given the base's name) on the base volume of
     * {@code from} in the spec's pool, filling that volume first if it is not there yet.
     */
    static String snapshot(StageContext ctx, ImageSpec spec, RootClone from, Path lockDir, Function<String, Command> snapshot) throws IOException {
        String vg = spec.storage().vg();
        String base = name(from);
        try (FileChannel ch = lockFile(lockDir, vg, base); FileLock lock = ch.lock()) {
            if (!exists(ctx, vg, base)) {
                fill(ctx, spec, from, base);
            }
            ctx.run(snapshot.apply(base));
            return base;
        }
    }

    private static void fill(StageContext ctx, ImageSpec spec, RootClone from, String base) throws IOException {
        String vg = spec.storage().vg();
        String filling = base + "-filling";
        if (exists(ctx, vg, filling)) {
            // left by a fill that did not finish (under this lock, nothing else fills it)
            ctx.run(Command.of("lvremove", "--yes", vg + "/" + filling));
        }
        long mib = (Files.size(from.image()) + (1 << 20) - 1) >> 20;
        ctx.run(Command.of("lvcreate", "--yes", "--thin", "--virtualsize", mib + "m", "--name", filling, vg + "/" + spec.storage().lvmThin()));
        UndoStack.Entry undo = ctx.undo().rollbackAlways(new SystemUndo.RunCommand(
                List.of("lvremove", "--yes", vg + "/" + filling), "remove the half-filled base volume " + vg + "/" + filling));
        // conv=sparse leaves the image's holes unwritten: they stay unallocated in the pool
        ctx.run(Command.of("dd", "if=" + from.image(), "of=/dev/" + vg + "/" + filling, "bs=4M", "conv=sparse,fsync", "status=none")
                .withLabel("dd"));
        ctx.run(Command.of("lvchange", "--yes", "--permission", "r", vg + "/" + filling));
        ctx.run(Command.of("lvrename", vg, filling, base));
        ctx.undo().forget(undo);
        ctx.info("the cached base image " + from.key().substring(0, 12) + " is now the thin volume " + vg + "/" + base);
    }

    /** A base volume jxen made, and how many volumes are thin snapshots of it now. */
    public record Volume(String vg, String lv, long bytes, int snapshots) {
        /** The first 16 hex digits of the cache key of the image it was filled from. */
        public String key16() {
            return lv.substring("jxen-base-".length());
        }
    }

    /** The base volumes on this host: read-only thin volumes named as jxen names them. None where LVM is absent or answers nothing. */
    public static List<Volume> list(CommandRunner runner) {
        CommandResult r = runner.run(Command.of("lvs", "--noheadings", "--separator", "|", "--units", "b", "--nosuffix",
                "-o", "vg_name,lv_name,lv_size,origin,lv_attr").capturing().withTimeout(java.time.Duration.ofSeconds(60)), l -> { });
        if (!r.ok()) {
            return List.of();
        }
        List<String[]> rows = r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split("\\|", -1))
                .filter(f -> f.length == 5).toList();
        List<Volume> out = new ArrayList<>();
        for (String[] f : rows) {
            String attr = f[4].strip();
            if (NAME.matcher(f[1].strip()).matches() && attr.length() > 1 && attr.charAt(0) == 'V' && attr.charAt(1) == 'r') {
                String vg = f[0].strip();
                String lv = f[1].strip();
                int snapshots = (int) rows.stream().filter(o -> o[0].strip().equals(vg) && o[3].strip().equals(lv)).count();
                out.add(new Volume(vg, lv, Long.parseLong(f[2].strip()), snapshots));
            }
        }
        return out;
    }

    /**
     * Removes a base volume that no volume is a snapshot of, checked again under its lock; a base that
     * gained a snapshot since is kept. Returns why it was kept, or empty when it is gone.
     */
    public static Optional<String> removeUnused(CommandRunner runner, Volume v, Path lockDir) throws IOException {
        try (FileChannel ch = lockFile(lockDir, v.vg(), v.lv()); FileLock lock = ch.lock()) {
            Optional<Volume> now = list(runner).stream().filter(o -> o.vg().equals(v.vg()) && o.lv().equals(v.lv())).findFirst();
            if (now.isEmpty()) {
                return Optional.of("no longer there");
            }
            if (now.get().snapshots() > 0) {
                int n = now.get().snapshots();
                return Optional.of(n + (n == 1 ? " volume is a thin snapshot" : " volumes are thin snapshots") + " of it");
            }
            CommandResult r = runner.run(Command.of("lvremove", "--yes", v.vg() + "/" + v.lv()).capturing(), l -> { });
            return r.ok() ? Optional.empty() : Optional.of("lvremove failed: " + String.join(" / ", r.tail()));
        }
    }
}
