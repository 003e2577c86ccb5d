package dev.jxen.customize;

import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.Command;
import dev.jxen.system.Mounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * What a chroot into the guest needs while scripts run in it: /proc, /sys, /dev and /dev/pts, the
 * dom0's resolver, and a {@code policy-rc.d} that keeps packages from starting daemons. {@link #close}
 * undoes all of it in reverse; the same steps are on the undo stack in case the run fails first.
 */
public final class ChrootMounts implements AutoCloseable {
    static final String POLICY_RC_D = "#!/bin/sh\n# written by jxen while it customizes this guest; removed afterwards\nexit 101\n";
    private final StageContext ctx;
    private final List<UndoStack.Entry> entries = new ArrayList<>();

    private ChrootMounts(StageContext ctx) {
        this.ctx = ctx;
    }

    public static ChrootMounts enter(StageContext ctx, Path root) throws IOException {
        ChrootMounts m = new ChrootMounts(ctx);
        m.bind(root, "proc", List.of("mount", "-t", "proc", "proc"));
        m.bind(root, "sys", List.of("mount", "-t", "sysfs", "sysfs"));
        m.bind(root, "dev", List.of("mount", "--bind", "/dev"));
        m.bind(root, "dev/pts", List.of("mount", "-t", "devpts", "-o", "newinstance,ptmxmode=0666", "devpts"));
        Path policy = root.resolve("usr/sbin/policy-rc.d");
        if (Files.isDirectory(policy.getParent()) && !Files.exists(policy)) {
            Files.writeString(policy, POLICY_RC_D);
            Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rwxr-xr-x"));
            m.entries.add(0, ctx.undo().cleanup("remove " + policy, () -> Files.deleteIfExists(policy)));
        }
        return m;
    }

    private void bind(Path root, String rel, List<String> mountArgs) throws IOException {
        Path at = root.resolve(rel);
        Files.createDirectories(at);
        List<String> argv = new ArrayList<>(mountArgs);
        argv.add(at.toString());
        ctx.run(Command.of(argv));
        entries.add(0, ctx.undo().cleanup("unmount " + at, () -> Mounts.unmount(ctx.runner(), at)));
    }

    @Override
    public void close() throws Exception {
        for (UndoStack.Entry e : entries) {
            ctx.undo().release(e);
        }
        entries.clear();
    }
}
