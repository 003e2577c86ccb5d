package dev.jxen.render;

import dev.jxen.system.SystemUndo;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * For a --force create: moves the old .cfg aside and the new one into place, by renames that are
 * undone if the run fails later. The old .cfg is removed only at the very end, with the old storage.
 */
public final class PublishConfigStage implements Stage<Void> {
    private final Path cfg;

    public PublishConfigStage(Path cfg) {
        this.cfg = cfg;
    }

    @Override
    public String name() {
        return "publish config";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(new PlannedAction("rename", cfg + " -> " + DomUConfigStage.aside(cfg), "the old .cfg, kept until the end"),
                new PlannedAction("rename", DomUConfigStage.staging(cfg) + " -> " + cfg, "the new .cfg"));
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        Path fresh = DomUConfigStage.staging(cfg);
        Path old = DomUConfigStage.aside(cfg);
        if (Files.exists(cfg, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(cfg, old, StandardCopyOption.ATOMIC_MOVE);
            ctx.undo().rollbackAlways(new SystemUndo.Move(old, cfg, "put the old .cfg back"));
        }
        Files.move(fresh, cfg, StandardCopyOption.ATOMIC_MOVE);
        ctx.undo().rollbackAlways(new SystemUndo.Move(cfg, fresh, "take the new .cfg out of " + cfg));
        ctx.info("the new " + cfg + " is in place");
        return null;
    }
}
