package dev.jxen.storage;

import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to remove or replace storage that is still in use: an image attached to a loop device or
 * mounted, a volume mounted or held open (what a crashed run, or a guest, leaves holding it).
 */
public final class StorageInUseStage implements Stage<Void> {
    private final String guest;
    private final GuestStorage storage;

    public StorageInUseStage(String guest, GuestStorage storage) {
        this.guest = guest;
        this.storage = storage;
    }

    @Override
    public String name() {
        return "storage in use";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(PlannedAction.note("refuse if any of " + guest + "'s images or volumes is attached to a loop device, mounted or open"));
    }

    @Override
    public Void run(StageContext ctx) throws IOException {
        List<String> busy = new ArrayList<>();
        List<String> loops = new ArrayList<>();
        CommandResult l = ctx.tryRun(Command.of("losetup", "--list", "--noheadings", "--output", "NAME,BACK-FILE").capturing()
                .withTimeout(Duration.ofSeconds(30)));
        if (l.ok()) {
            loops.addAll(l.stdout().lines().toList());
        }
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mounts"));
        for (GuestStorage.Owned o : storage.owned()) {
            List<String> devices = new ArrayList<>();
            if (o instanceof GuestStorage.ImageFile f) {
                // the kernel reports a loop device's file by its real path (Xen's block script resolves links first)
                List<String> names = List.of(f.path().toString(), realPath(f.path()));
                for (String line : loops) {
                    String[] c = line.strip().split("\\s+", 2);
                    if (c.length == 2 && names.stream().anyMatch(n -> c[1].equals(n) || c[1].equals(n + " (deleted)"))) {
                        devices.add(c[0]);
                        busy.add(f.describe() + " is attached to " + c[0]);
                    }
                }
                if (Files.exists(f.path())) {
                    DiskInUse.processesHolding(f.path()).forEach(pid -> busy.add(f.describe() + " is open in process " + pid
                            + " (a QEMU disk backend, or another program)"));
                }
                devices.addAll(names);
            } else if (o instanceof GuestStorage.LogicalVolume v) {
                devices.add(v.device().toString());
                devices.add(realPath(v.device()));
                CommandResult attr = ctx.tryRun(Command.of("lvs", "--noheadings", "-o", "lv_attr", v.describe()).capturing()
                        .withTimeout(Duration.ofSeconds(30)));
                String a = attr.stdout().strip();
                if (attr.ok() && a.length() > 5 && a.charAt(5) == 'o') {
                    busy.add(v.describe() + " is open (in use by a running guest, a mount or another program)");
                }
            } else if (o instanceof GuestStorage.ZfsVolume z) {
                devices.add(z.device().toString());
                devices.add(realPath(z.device()));
            }
            for (String m : mounts) {
                String[] f = m.split(" ");
                if (f.length > 1 && devices.contains(f[0])) {
                    busy.add(o.describe() + " is mounted on " + f[1] + " (through " + f[0] + ")");
                }
            }
        }
        if (!busy.isEmpty()) {
            throw new HostStateException(String.join("; ", busy), "if a jxen run for " + guest + " was killed, run: jxen recover " + guest
                    + "; otherwise unmount and detach it first");
        }
        return null;
    }

    private static String realPath(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return p.toString();
        }
    }
}
