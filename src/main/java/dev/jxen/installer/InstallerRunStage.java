package dev.jxen.installer;

import dev.jxen.config.ImageSpec;
import dev.jxen.error.InterruptedCreateException;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.SystemUndo;
import dev.jxen.system.ToolCheck;
import dev.jxen.xen.DomainConsole;
import dev.jxen.xen.XlDomains;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs the Debian Installer as the guest's domain (the install-time .cfg) and follows its console to
 * the end. The install is complete when the preseed's late command has printed its line and the
 * domain has ended (the installer's reboot ends it). A dialog the installer shows ("[!!] ...": a
 * question the preseed did not answer, or an error) stops the run with that dialog's text, as does
 * the time limit; the domain is destroyed then, and on any failure or Ctrl-C after it started.
 */
public final class InstallerRunStage implements Stage<InstallerRunStage.Installed> {
    /** The installer ran to its end, in this many seconds. */
    public record Installed(long seconds) {
    }

    public static final Duration LIMIT = Duration.ofHours(2);

    private final ImageSpec spec;
    private final String xl;
    private final StageResult<Preseeded> files;

    public InstallerRunStage(ImageSpec spec, String xl, StageResult<Preseeded> files) {
        this.spec = spec;
        this.xl = xl;
        this.files = files;
    }

    @Override
    public String name() {
        return "installer run";
    }

    private String domain() {
        return spec.hostname().fqdn();
    }

    /** Where the console's text is kept: beside the create's log. */
    public Path transcript() {
        return spec.run().log().resolveSibling(domain() + ".installer-console.log");
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(
                PlannedAction.run(Command.of("xl", "create", "install.cfg")),
                PlannedAction.note("follow the installer on its console (kept in " + transcript() + ") until its reboot ends the domain, "
                        + "at most " + LIMIT.toHours() + " h; a dialog on screen (\"[!!] ...\") is a question the preseed did not answer: "
                        + "the run stops with its text"),
                PlannedAction.note("on failure or Ctrl-C: xl destroy " + domain() + ", then the disks are removed as in every failed create"));
    }

    @Override
    public void verify() {
        if (!xl.startsWith("/")) {
            ToolCheck.require("xl", "to run the Debian Installer as the guest");
        }
        ToolCheck.require("xenstore-read", "to find the installer's console");
    }

    @Override
    public Installed run(StageContext ctx) throws Exception {
        Preseeded p = ctx.get(files);
        long start = System.nanoTime();
        UndoStack.Entry destroy = ctx.undo().rollbackAlways(new SystemUndo.RunCommand(List.of(xl, "destroy", domain()),
                "destroy the installer's domain " + domain()));
        ctx.run(Command.of(xl, "create", p.installCfg().toString()));
        String domid = ctx.run(Command.of(xl, "domid", domain()).capturing()).stdout().strip();
        ctx.info("the Debian Installer runs as domain " + domid + "; its console is kept in " + transcript());
        Files.createDirectories(transcript().getParent());
        InstallerScreen screen = new InstallerScreen();
        long lastReport = start;
        try (DomainConsole console = DomainConsole.open(ctx.runner(), domid);
             BufferedWriter log = Files.newBufferedWriter(transcript(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (!console.ended() || exists(ctx)) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedCreateException(name());
                }
                for (String line : console.lines(Duration.ofSeconds(1))) {
                    log.write(line);
                    log.newLine();
                    screen.take(line, System.nanoTime()).ifPresent(ctx::info);
                }
                log.flush();
                long now = System.nanoTime();
                Optional<String> dialog = screen.stoppedAt(now);
                if (dialog.isPresent()) {
                    throw new StageFailedException(name(), "the installer stopped at a dialog the preseed did not answer: " + dialog.get(),
                            "its console is in " + transcript() + "; check the mirror (" + spec.install().mirror().orElse("") + ") as the guest reaches it, "
                                    + "and the preseed template", null);
                }
                if (now - start > LIMIT.toNanos()) {
                    throw new StageFailedException(name(), "the installer did not finish within " + LIMIT.toHours() + " h",
                            "its console is in " + transcript(), null);
                }
                if (now - lastReport > Duration.ofSeconds(30).toNanos()) {
                    lastReport = now;
                    ctx.info("installer running, " + Duration.ofNanos(now - start).toSeconds() + " s"
                            + (screen.last().isEmpty() ? "" : "; on its console: " + screen.last()));
                }
            }
        }
        ctx.undo().forget(destroy);
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        if (!screen.installed()) {
            throw new StageFailedException(name(), "the installer's domain ended after " + seconds + " s before the install was complete"
                    + (screen.last().isEmpty() ? "" : " (last on its console: " + screen.lastLines() + ")"),
                    "its console is in " + transcript(), null);
        }
        ctx.info("the Debian Installer installed " + domain() + " in " + seconds + " s");
        return new Installed(seconds);
    }

    /** How many times in a row xl may fail to list the domains, once its console has ended, before jxen stops waiting. */
    static final int XL_FAILURES = 10;
    private int xlFailures;

    /**
     * Whether xl still lists the domain. An xl that cannot answer counts as yes (unknown is not ended),
     * but not for ever: after {@link #XL_FAILURES} failures in a row the stage fails, naming xl's error,
     * instead of waiting out the two hours.
     */
    private boolean exists(StageContext ctx) {
        CommandResult r = ctx.runner().run(Command.of(xl, "list").capturing().withTimeout(Duration.ofSeconds(30)), l -> { });
        if (r.ok()) {
            xlFailures = 0;
            return XlDomains.names(r.stdout()).contains(domain());
        }
        if (++xlFailures >= XL_FAILURES) {
            throw new StageFailedException(name(), "the installer's console has ended, and '" + xl + " list' failed " + xlFailures
                    + " times in a row, so jxen cannot tell whether the domain " + domain() + " is still there: " + String.join(" / ", r.tail()),
                    "check the toolstack (xl list); the rollback destroys the domain", null);
        }
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
