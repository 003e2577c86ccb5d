package dev.jxen.xen;

import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Removes the guest's .cfg, last, and its autostart link in /etc/xen/auto when that link leads to it. */
public final class RemoveDomUConfigStage implements Stage<Void> {
    private final Path cfg;
    private final Path autoDir;

    public RemoveDomUConfigStage(Path cfg, Path autoDir) {
        this.cfg = cfg;
        this.autoDir = autoDir;
    }

    @Override
    public String name() {
        return "remove config";
    }

    private Path autoLink() {
        return autoDir.resolve(cfg.getFileName());
    }

    private boolean autoLinkIsOurs() {
        Path link = autoLink();
        if (!Files.isSymbolicLink(link)) {
            return false;
        }
        try {
            Path target = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
            return target.equals(cfg.toAbsolutePath().normalize());
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        if (autoLinkIsOurs()) {
            out.add(new PlannedAction("remove", autoLink().toString(), "autostart link"));
        }
        out.add(Files.exists(cfg, LinkOption.NOFOLLOW_LINKS) ? new PlannedAction("remove", cfg.toString(), "domU config")
                : PlannedAction.note("no " + cfg));
        return out;
    }

    @Override
    public Void run(StageContext ctx) throws IOException {
        if (autoLinkIsOurs()) {
            Files.delete(autoLink());
            ctx.info("removed " + autoLink());
        }
        if (Files.deleteIfExists(cfg)) {
            ctx.info("removed " + cfg);
        }
        return null;
    }
}
