package dev.jxen.render;

import dev.jxen.system.SystemUndo;
import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.storage.GuestDisks;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.LocalCommandRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Renders the domU configuration for xl ({@code xl.cfg.ftl}, or --template) and publishes it
 * atomically as the last write of a create: a temporary file renamed into place.
 */
public final class DomUConfigStage implements Stage<DomUConfig> {
    private final ImageSpec spec;
    private final ConfigSources sources;
    private final boolean replacing;
    private final CommandRunner runner;

    /**
     * @param replacing true for a --force create of a guest that has a .cfg: the new one is written
     *                  beside it and put in place by {@link PublishConfigStage}
     * @param runner    runs Perl's Text::Template for an xen-tools template (while planning and verifying too)
     */
    public DomUConfigStage(ImageSpec spec, ConfigSources sources, boolean replacing, CommandRunner runner) {
        this.spec = spec;
        this.sources = sources;
        this.replacing = replacing;
        this.runner = runner;
    }

    /** Where a --force create writes the new .cfg before it replaces the old one. */
    public static Path staging(Path cfg) {
        return cfg.resolveSibling("." + cfg.getFileName() + ".jxen-new");
    }

    /** Where a --force create keeps the old .cfg until the end. */
    public static Path aside(Path cfg) {
        return cfg.resolveSibling("." + cfg.getFileName() + ".jxen-old");
    }

    @Override
    public String name() {
        return "domU config";
    }

    /** The .cfg from a FreeMarker template (a Text::Template one needs {@link #render(ConfigSources, ImageSpec, CommandRunner)}). */
    public static String render(ConfigSources sources, ImageSpec spec) {
        return render(sources, spec, new LocalCommandRunner());
    }

    /**
     * The .cfg: from jxen's FreeMarker {@code xl.cfg.ftl} or a {@code .ftl} --template, or from an
     * xen-tools Text::Template --template filled as xen-tools fills it and checked against the guest
     * jxen makes ({@link FilledConfigCheck}).
     */
    public static String render(ConfigSources sources, ImageSpec spec, CommandRunner runner) {
        return rendered(sources, spec, runner).text();
    }

    /** The .cfg's text, and what a Text::Template wrote that xl does not read. */
    record Rendered(String text, List<String> warnings) {
    }

    static Rendered rendered(ConfigSources sources, ImageSpec spec, CommandRunner runner) {
        String template = spec.domain().template() != null ? spec.domain().template() : "xl.cfg.ftl";
        if (!XenToolsTemplate.isTextTemplate(template)) {
            return new Rendered(new Templates(sources.templateDirs()).render(template, GuestModel.of(spec)), List.of());
        }
        String text = XenToolsTemplate.fill(Path.of(template), XenToolsVariables.forCreate(spec), sources.textTemplateHelper(), runner);
        List<String> warnings = FilledConfigCheck.check(text, template, spec.hostname().fqdn(), GuestDisks.layout(spec).disks(),
                spec.domain().start().type().key());
        return new Rendered(text, warnings);
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        Path cfg = spec.domain().configFile(spec.hostname());
        if (GuestDisks.installerPartitions(spec)) {
            // the installer route writes two: this one is shown beside the install-time one
            return List.of(PlannedAction.show((replacing ? staging(cfg) : cfg).toString(), render(sources, spec, runner)));
        }
        return List.of(PlannedAction.write((replacing ? staging(cfg) : cfg).toString(),
                "xl domU config from " + (spec.domain().template() != null ? spec.domain().template() : "xl.cfg.ftl")
                        + (replacing ? ", beside the old one until the new guest is complete" : "")));
    }

    @Override
    public void verify() {
        Path cfg = spec.domain().configFile(spec.hostname());
        Path existing = cfg.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !canWriteIn(existing)) {
            throw new HostStateException("the .cfg cannot be written: " + (existing == null ? cfg.getParent() : existing)
                    + (existing != null && !Files.isDirectory(existing) ? " is not a directory" : " is not writable"),
                    "choose another --output, or make that directory writable");
        }
        if (Files.exists(cfg) && !replacing) {
            throw new HostStateException(cfg + " already exists",
                    "perhaps you should remove the old guest with jxen-delete-image, choose another --hostname, or pass --force");
        }
        render(sources, spec, runner); // a template error stops the create before anything is touched
    }

    /** Permissions do not tell (root may "write" /proc, or a read-only mount): a file made and removed does. */
    private static boolean canWriteIn(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, ".jxen-probe-", ""));
            return true;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public DomUConfig run(StageContext ctx) throws Exception {
        Path cfg = spec.domain().configFile(spec.hostname());
        Path target = replacing ? staging(cfg) : cfg;
        Rendered rendered = rendered(sources, spec, runner);
        rendered.warnings().forEach(ctx::warn);
        String text = rendered.text();
        Files.createDirectories(cfg.getParent());
        Path tmp = Files.createTempFile(cfg.getParent(), "." + spec.hostname().fqdn() + ".", ".tmp");
        ctx.undo().cleanup(new SystemUndo.RemoveFile(tmp));
        Files.writeString(tmp, text);
        if (replacing) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            // a .cfg that appeared since the checks is never replaced: link(2) fails on an existing name
            Files.createLink(target, tmp);
            Files.delete(tmp);
        }
        ctx.undo().rollbackAlways(new SystemUndo.RemoveFile(target));
        ctx.info("wrote " + target);
        return new DomUConfig(cfg);
    }
}
