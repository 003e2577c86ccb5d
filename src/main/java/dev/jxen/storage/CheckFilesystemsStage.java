package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.ToolCheck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * After the guest is unmounted: a read-only check of each of its filesystems, so that a create never
 * reports success over a damaged one (a backing filesystem that filled up makes the kernel drop
 * writes that the install already counted as done).
 */
public final class CheckFilesystemsStage implements Stage<Void> {
    private final ImageSpec spec;

    /** Checks the guest's disks under their final names (a --force create has swapped its new ones in by then). */
    public CheckFilesystemsStage(ImageSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "check filesystems";
    }

    static Command check(GuestDisk d) {
        Command c = switch (d.partition().type()) {
            case "xfs" -> d.file() ? Command.of("xfs_repair", "-n", "-f", d.path()) : Command.of("xfs_repair", "-n", d.path());
            case "btrfs" -> Command.of("btrfs", "check", "--readonly", d.path());
            default -> Command.of("e2fsck", "-n", "-f", d.path());
        };
        return c.withTimeout(Duration.ofMinutes(10));
    }

    private List<GuestDisk> filesystems(GuestDisks all) {
        return all.disks().stream().filter(d -> !d.partition().isSwap()).toList();
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        for (GuestDisk d : filesystems(GuestDisks.layout(spec))) {
            out.add(PlannedAction.run(check(d)));
        }
        return out;
    }

    @Override
    public void verify() {
        for (GuestDisk d : filesystems(GuestDisks.layout(spec))) {
            ToolCheck.require(check(d).argv().get(0), "to check the guest's " + d.partition().type() + " filesystem after the create");
        }
    }

    @Override
    public Void run(StageContext ctx) {
        for (GuestDisk d : filesystems(GuestDisks.layout(spec))) {
            CommandResult r = ctx.tryRun(check(d));
            if (!r.ok()) {
                throw new StageFailedException(name(), "the guest's " + (d.partition().isRoot() ? "root" : d.partition().mountpoint())
                        + " filesystem on " + d.path() + " is damaged (" + check(d).display() + " exited with status " + r.status()
                        + "): " + String.join(" / ", r.tail()), "if its storage is full, free space there and create the guest again", null);
            }
        }
        ctx.info("the guest's filesystems are clean");
        return null;
    }
}
