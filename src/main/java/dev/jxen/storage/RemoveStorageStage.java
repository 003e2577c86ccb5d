package dev.jxen.storage;

import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Removes exactly the storage a guest owns, and says what it left alone and why. */
public final class RemoveStorageStage implements Stage<Void> {
    private final String guest;
    private final GuestStorage storage;

    public RemoveStorageStage(String guest, GuestStorage storage) {
        this.guest = guest;
        this.storage = storage;
    }

    @Override
    public String name() {
        return "remove storage";
    }

    static Command removal(GuestStorage.Owned o) {
        if (o instanceof GuestStorage.LogicalVolume v) {
            return Command.of("lvremove", "--yes", v.describe()).withTimeout(Duration.ofMinutes(5));
        }
        if (o instanceof GuestStorage.ZfsVolume z) {
            return Command.of("zfs", "destroy", z.dataset()).withTimeout(Duration.ofMinutes(5));
        }
        return null;
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        if (storage.owned().isEmpty()) {
            out.add(PlannedAction.note(guest + " has no images or volumes"));
        }
        for (GuestStorage.Owned o : storage.owned()) {
            Command c = removal(o);
            out.add(c != null ? PlannedAction.run(c) : new PlannedAction("remove", o.describe(), "image file"));
        }
        if (storage.domainDir() != null) {
            out.add(new PlannedAction("remove", storage.domainDir() + "/", "if it is left empty"));
        }
        for (String l : storage.leftAlone()) {
            out.add(PlannedAction.note("left alone: " + l));
        }
        return out;
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        for (GuestStorage.Owned o : storage.owned()) {
            Command c = removal(o);
            if (c != null) {
                ctx.run(c);
            } else {
                Files.delete(((GuestStorage.ImageFile) o).path());
            }
            ctx.info("removed " + o.describe());
        }
        Path dir = storage.domainDir();
        if (dir != null && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isEmpty()) {
                    Files.delete(dir);
                    ctx.info("removed " + dir);
                }
            }
        }
        for (String l : storage.leftAlone()) {
            ctx.warn("left alone: " + l);
        }
        return null;
    }
}
