package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.error.HostStateException;
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
 * Uses devices the user already has (--image-dev, --swap-dev): nothing is created, nothing removed.
 * A device about to be formatted that holds a filesystem, a partition table or any other signature
 * is refused without --force, naming what was found.
 */
public final class ExistingDeviceStage implements Stage<GuestDisks> {
    private final ImageSpec spec;

    public ExistingDeviceStage(ImageSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public java.util.Optional<GuestDisks> planned(Plans plans) {
        return java.util.Optional.of(GuestDisks.layout(spec));
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        for (GuestDisk d : GuestDisks.layout(spec).disks()) {
            out.add(PlannedAction.note("use existing device " + d.path() + " as " + d.xenDevice() + " (" + d.partition().type() + ")"));
            if (spec.storage().format()) {
                out.add(PlannedAction.run(probe(d)));
            }
        }
        if (spec.storage().format()) {
            out.add(PlannedAction.note(spec.run().force() ? "--force: formatted even if it holds a filesystem or partition table"
                    : "refused if it holds a filesystem, a partition table or another signature (--force to format it anyway)"));
        }
        return out;
    }

    private static Command probe(GuestDisk d) {
        return Command.of("wipefs", "--no-act", "--noheadings", "--output", "TYPE,OFFSET", d.path()).capturing().withTimeout(Duration.ofSeconds(30));
    }

    @Override
    public void verify() {
        if (spec.storage().format()) {
            ToolCheck.require("wipefs", "to see whether --image-dev holds data");
        }
    }

    @Override
    public GuestDisks run(StageContext ctx) {
        GuestDisks disks = GuestDisks.layout(spec);
        if (!spec.storage().format()) {
            return disks;
        }
        List<String> found = new ArrayList<>();
        for (GuestDisk d : disks.disks()) {
            CommandResult r = ctx.tryRun(probe(d));
            if (!r.ok()) {
                throw new HostStateException("cannot tell whether " + d.path() + " holds data: wipefs exited with status " + r.status()
                        + (r.tail().isEmpty() ? "" : " (" + String.join(" / ", r.tail()) + ")"), "check the device with: wipefs " + d.path());
            }
            String sigs = String.join(", ", r.stdout().strip().lines().map(l -> l.strip().replaceAll("\\s+", " at ")).toList());
            if (!sigs.isEmpty()) {
                found.add(d.path() + " holds " + sigs);
            }
        }
        if (!found.isEmpty()) {
            if (!spec.run().force()) {
                throw new HostStateException(String.join("; ", found) + "; formatting would destroy it",
                        "give --force to format it anyway, --dontformat to use it as it is, or another device");
            }
            found.forEach(f -> ctx.warn("--force: formatting although " + f));
        }
        return disks;
    }
}
