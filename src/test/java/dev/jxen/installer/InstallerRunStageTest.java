package dev.jxen.installer;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.CommandFailedException;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.RunWithoutVerify;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The installer's run without a hypervisor or an installer: a recording runner answers for xl and
 * xenstore-read, and the domain's console is a real pseudo-terminal (made by a small python3 helper)
 * that holds what an installer would print and hangs up, as xenconsoled does when the domain ends,
 * once the stage has read it all. Its checks look for xenstore-read, which a test machine need not
 * have, so the stages run through {@link RunWithoutVerify}, which unwinds as {@code Pipeline.run} does.
 * Not tested here: a dialog on screen (it counts only after ten seconds of wall-clock time), the two-hour
 * limit, and an xl that fails ten times a second apart.
 */
class InstallerRunStageTest {
    private static final String HOST = "inst1.example.org";
    private static final String XL = "/opt/xen-test/bin/xl";
    /**
     * The console's pty: made, given what the test writes, and closed (the hang-up the stage reads as the
     * domain's end) once the console's last line is in the transcript the stage keeps, that is once
     * the stage has read everything.
     */
    private static final String PTY = String.join("\n",
            "import os, pty, sys, time, tty",
            "transcript, last = sys.argv[1], sys.argv[2] + '\\n'",
            "m, s = pty.openpty()",
            "tty.setraw(s)",
            "print(os.ttyname(s), flush=True)",
            "os.write(m, sys.stdin.buffer.read())",
            "def seen():",
            "    try:",
            "        with open(transcript) as f: return f.read().endswith(last)",
            "    except OSError: return False",
            "for _ in range(6000):",
            "    if seen(): break",
            "    time.sleep(0.01)",
            "os.close(m)",
            "os.close(s)",
            "");

    @TempDir
    Path tmp;
    private Process console;
    private final List<JxenEvent.StepLog> logs = Collections.synchronizedList(new ArrayList<>());
    private Preseeded preseeded;

    @BeforeEach
    void setUp() {
        Path dir = tmp.resolve("installer-files/" + HOST + ".abcd");
        preseeded = new Preseeded(dir, dir.resolve("initrd.gz"), dir.resolve("install.cfg"));
    }

    @AfterEach
    void tearDown() {
        if (console != null) {
            console.destroy();
        }
    }

    private Path transcript() {
        return tmp.resolve("logs/" + HOST + ".installer-console.log");
    }

    /** A pty whose reader gets {@code text} (lines ended by CR LF), then the hang-up; its slave's path. */
    private String pty(String text) throws Exception {
        List<String> lines = text.lines().toList();
        console = new ProcessBuilder("python3", "-c", PTY, transcript().toString(), lines.get(lines.size() - 1).strip()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String path = new BufferedReader(new InputStreamReader(console.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(path != null && path.matches("/dev/pts/[0-9]+"), "no pty: " + path);
        try (OutputStream in = console.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return path;
    }

    private ImageSpec spec() throws Exception {
        return TestSpecs.spec(tmp, "hostname=" + HOST, "install-method=installer", "pygrub", "type=pv", "dir=" + tmp.resolve("store"),
                "log=" + tmp.resolve("logs/inst1.log"));
    }

    private static CommandResult ok(String out) {
        return new CommandResult(0, out, List.of());
    }

    /** xl and xenstore-read as on a dom0 where the installer runs as domain 7 and its console is {@code tty}. */
    private static Function<Command, CommandResult> dom0(String tty, Function<Command, CommandResult> xlList) {
        return c -> {
            List<String> a = c.argv();
            if (a.get(0).equals("xenstore-read")) {
                return a.get(1).equals("/local/domain/7/console/tty") ? ok(tty + "\n") : new CommandResult(1, "", List.of("no such key"));
            }
            return switch (a.get(1)) {
                case "domid" -> ok("7\n");
                case "list" -> xlList.apply(c);
                default -> ok("");
            };
        };
    }

    private static CommandResult gone(Command c) {
        return ok("Name ID Mem VCPUs State Time(s)\nDomain-0 0 768 2 r----- 10.0\n");
    }

    private StageContext run(RecordingCommandRunner runner, boolean failAfter) throws Exception {
        Pipeline.Builder b = Pipeline.builder(true, null);
        StageResult<Preseeded> files = b.add(TestStages.giving("preseed", preseeded));
        StageResult<InstallerRunStage.Installed> installed = b.add(new InstallerRunStage(spec(), XL, files));
        if (failAfter) {
            b.add(TestStages.failing());
        }
        EventHandlers h = new EventHandlers(new Redactor()).add(e -> {
            if (e instanceof JxenEvent.StepLog l) {
                logs.add(l);
            }
        });
        return RunWithoutVerify.run(b.build(), installed, runner, h, new UndoStack(), true);
    }

    private List<String> info() {
        return logs.stream().filter(l -> l.level() == JxenEvent.Level.INFO).map(JxenEvent.StepLog::text).toList();
    }

    @Test
    void theInstallerRunsToItsEndAndItsConsoleIsKept() throws Exception {
        String tty = pty("JXEN-PRESEED: read by the installer, hostname inst1\r\nInstalling the base system\r\n"
                + "JXEN-INSTALLED: inst1\r\nreboot: Restarting system\r\n");
        RecordingCommandRunner r = new RecordingCommandRunner(dom0(tty, InstallerRunStageTest::gone));
        StageContext ctx = run(r, false);
        assertEquals(0, ctx.undo().size(), "the destroy of the installer's domain outlived its end");
        assertEquals(List.of(XL + " create " + preseeded.installCfg(), XL + " domid " + HOST, "xenstore-read /local/domain/7/console/tty", XL + " list"),
                r.lines());
        Path transcript = transcript();
        assertEquals(List.of("JXEN-PRESEED: read by the installer, hostname inst1", "Installing the base system", "JXEN-INSTALLED: inst1",
                "reboot: Restarting system"), Files.readAllLines(transcript));
        List<String> info = info();
        assertTrue(info.contains("the Debian Installer runs as domain 7; its console is kept in " + transcript), info.toString());
        assertTrue(info.contains("the installer read jxen's preseed"), info.toString());
        assertTrue(info.contains("the installer's late command ran: the install is complete; waiting for its reboot"), info.toString());
        assertTrue(info.stream().anyMatch(t -> t.matches("the Debian Installer installed " + HOST.replace(".", "\\.") + " in \\d+ s")), info.toString());
    }

    @Test
    void aDomainStillListedAfterItsConsoleEndedIsWaitedFor() throws Exception {
        String tty = pty("JXEN-INSTALLED: inst1\r\n");
        AtomicInteger lists = new AtomicInteger();
        RecordingCommandRunner r = new RecordingCommandRunner(dom0(tty, c -> lists.incrementAndGet() == 1
                ? ok("Name ID Mem VCPUs State Time(s)\nDomain-0 0 768 2 r----- 10.0\n" + HOST + " 7 1024 1 --ps-d 30.1\n") : gone(c)));
        run(r, false);
        assertEquals(List.of(XL + " list", XL + " list"), r.lines().subList(3, r.lines().size()));
    }

    @Test
    void aDomainThatEndsBeforeTheLateCommandRanFailsTheInstall() throws Exception {
        String tty = pty("JXEN-PRESEED: read by the installer, hostname inst1\r\nKernel panic - not syncing: Attempted to kill init!\r\n");
        RecordingCommandRunner r = new RecordingCommandRunner(dom0(tty, InstallerRunStageTest::gone));
        StageFailedException e = assertThrows(StageFailedException.class, () -> run(r, false));
        assertEquals("installer run", e.stage());
        assertTrue(e.getMessage().matches("stage 'installer run' failed: the installer's domain ended after \\d+ s before the install was complete "
                + "\\(last on its console: JXEN-PRESEED: read by the installer, hostname inst1 / Kernel panic - not syncing: Attempted to kill init!\\)"),
                e.getMessage());
        assertEquals("its console is in " + transcript(), e.hint());
        assertTrue(r.lines().stream().noneMatch(l -> l.contains("destroy")), "a domain already gone was destroyed: " + r.lines());
    }

    @Test
    void aFailureOnceTheDomainIsCreatedDestroysItEvenWithKeep() throws Exception {
        RecordingCommandRunner r = new RecordingCommandRunner(c -> c.argv().get(1).equals("domid")
                ? new CommandResult(1, "", List.of("libxl: error: domain does not exist")) : ok(""));
        CommandFailedException e = assertThrows(CommandFailedException.class, () -> run(r, false));
        assertTrue(e.getMessage().contains("domid " + HOST) && e.getMessage().contains("domain does not exist"), e.getMessage());
        assertEquals(List.of(XL + " create " + preseeded.installCfg(), XL + " domid " + HOST, XL + " destroy " + HOST), r.lines());

        RecordingCommandRunner failedCreate = new RecordingCommandRunner(c -> c.argv().get(1).equals("create")
                ? new CommandResult(3, "", List.of("libxl: error: cannot create domain")) : ok(""));
        assertThrows(CommandFailedException.class, () -> run(failedCreate, false));
        assertEquals(List.of(XL + " create " + preseeded.installCfg(), XL + " destroy " + HOST), failedCreate.lines(),
                "what a failed xl create may have left of the domain is destroyed");
    }

    @Test
    void aFailureAfterTheInstallDoesNotDestroyTheDomainThatEndedByItself() throws Exception {
        String tty = pty("JXEN-INSTALLED: inst1\r\n");
        RecordingCommandRunner r = new RecordingCommandRunner(dom0(tty, InstallerRunStageTest::gone));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(r, true));
        assertEquals("injected", e.getMessage());
        assertTrue(r.lines().stream().noneMatch(l -> l.contains("destroy")), r.lines().toString());
    }
}
