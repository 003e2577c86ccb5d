package dev.jxen.customize;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.InvalidInputException;
import dev.jxen.error.StageFailedException;
import dev.jxen.guest.Sandbox;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hooks of the guest's release, found the xen-tools way and run in turn in one sandbox. The sandbox
 * command is recorded, not run (that needs namespaces and a real guest; the ITs do it): a stand-in
 * answers with the sandbox's marker lines and the hooks' output, as jxen-sandbox would print them, so
 * that what the stage makes of them (which hook printed what, which one failed) is tested.
 */
class HookStageTest {
    private static final String POLICY = "usr/sbin/policy-rc.d";

    @TempDir
    Path tmp;
    Path root;
    Path home;
    Path config;
    ImageSpec spec;
    GuestFacts facts;
    final List<JxenEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Files.createDirectories(root.resolve("usr/sbin"));
        home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve("hooks/debian.d"));
        Files.createDirectories(home.resolve("hooks/lib"));
        Files.writeString(home.resolve("hooks/lib/in-guest.sh"), "in_guest() { :; }\n");
        hook(home.resolve("hooks/debian.d/10-first"), "rwxr-xr-x");
        hook(home.resolve("hooks/debian.d/20-second"), "rwxr-xr-x");
        hook(home.resolve("hooks/debian.d/30-third~"), "rwxr-xr-x");
        hook(home.resolve("hooks/debian.d/40-off"), "rw-r--r--");
        config = Files.createDirectories(tmp.resolve("config/hooks.d")).getParent();
        hook(config.resolve("hooks.d/20-second"), "rwxr-xr-x");
        spec = TestSpecs.spec(tmp, "hostname=web1.example.org", "dir=" + tmp.resolve("store"), "ip=192.0.2.10", "password=Hook-Secret-9");
        facts = GuestFacts.of(spec, "http://mirror.example/debian");
    }

    private static void hook(Path p, String mode) throws Exception {
        Files.writeString(p, "#!/bin/sh\necho hook\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private ConfigSources sources() {
        return new ConfigSources(config, home);
    }

    private Sandbox.Policy policy(Sandbox.Trust trust) {
        return new Sandbox.Policy(home.resolve("libexec/jxen-sandbox"), home.resolve("libexec/jxen-jail"), home.resolve("hooks/lib/in-guest.sh"),
                trust, tmp.resolve("work"), "web1.example.org", List.of(), Optional.empty());
    }

    /**
     * Stands in for the sandbox: prints each program's marker and a line of its own, as jxen-sandbox does,
     * until the program numbered {@code failAt} (exit 2); records the command and the policy-rc.d it saw.
     */
    private final class Sandboxed implements CommandRunner {
        final List<Command> commands = new ArrayList<>();
        final List<String> policyDuring = new ArrayList<>();
        final int failAt;

        Sandboxed(int failAt) {
            this.failAt = failAt;
        }

        public CommandResult run(Command c, Consumer<String> lines) {
            commands.add(c);
            try {
                policyDuring.add(Files.exists(root.resolve(POLICY)) ? Files.readString(root.resolve(POLICY)) : "none");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            List<String> a = c.argv();
            String marker = a.get(a.indexOf("--marker") + 1);
            List<String> programs = a.subList(a.lastIndexOf("--") + 1, a.size());
            List<String> tail = new ArrayList<>();
            for (int i = 0; i < programs.size(); i++) {
                String name = Path.of(programs.get(i)).getFileName().toString();
                for (String line : List.of(Sandbox.eachMarker(marker, i), i == failAt ? "boom in " + name : "ran " + name)) {
                    lines.accept(line);
                    tail.add(line);
                }
                if (i == failAt) {
                    return new CommandResult(2, "", tail);
                }
            }
            return new CommandResult(0, "", tail);
        }
    }

    private void run(GuestFacts known, CommandRunner runner, boolean fail) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        b.add(new HookStage(sources(), policy(Sandbox.Trust.FRESH), mounted, known, ctx -> facts));
        if (fail) {
            b.add(TestStages.failing());
        }
        b.build().run(runner, new EventHandlers(new Redactor()).add(events::add), new UndoStack());
    }

    private List<String> logged(JxenEvent.Level level) {
        return events.stream().filter(e -> e instanceof JxenEvent.StepLog l && l.level() == level).map(e -> ((JxenEvent.StepLog) e).text()).toList();
    }

    @Test
    void theReleasesHooksRunInOrderInOneSandboxWithTheLocalOverrideAndTheGuestsEnvironment() throws Exception {
        Sandboxed runner = new Sandboxed(-1);
        run(facts, runner, false);

        assertEquals(1, runner.commands.size(), "the hooks run in one sandbox");
        Command c = runner.commands.get(0);
        List<String> a = c.argv();
        assertEquals(List.of(home.resolve("hooks/debian.d/10-first").toString(), config.resolve("hooks.d/20-second").toString()),
                a.subList(a.lastIndexOf("--") + 1, a.size()), "sorted, the local hooks.d replacing the shipped one, backups and non-executables left out");
        assertEquals(root.toString(), a.get(a.indexOf("--each") + 1), "each hook's one argument is the guest's root");
        assertTrue(a.get(a.indexOf("--marker") + 1).matches("[0-9a-f]{32}"), c.display());
        assertEquals("unshare", a.get(0));

        assertEquals("web1.example.org", c.env().get("hostname"));
        assertEquals("bookworm", c.env().get("dist"));
        assertEquals("http://mirror.example/debian", c.env().get("mirror"));
        assertEquals("192.0.2.10", c.env().get("ip1"));
        assertEquals(home.resolve("hooks/lib/in-guest.sh").toString(), c.env().get("JXEN_HOOK_LIB"));
        assertNull(c.env().get("password"), "a secret in the hooks' environment");
        assertFalse(c.env().containsValue("Hook-Secret-9"), "the root password in the hooks' environment");

        List<String> debug = logged(JxenEvent.Level.DEBUG);
        assertTrue(debug.contains("hook 10-first: ran 10-first"), debug.toString());
        assertTrue(debug.contains("hook 20-second: ran 20-second"), debug.toString());
        assertTrue(debug.stream().noneMatch(l -> l.contains("jxen-sandbox ")), "a marker line was logged as output: " + debug);
        assertTrue(events.stream().anyMatch(e -> e instanceof JxenEvent.Progress p && p.what().equals("20-second")), events.toString());

        assertEquals(1, runner.policyDuring.size());
        assertTrue(runner.policyDuring.get(0).contains("exit 101"), "daemons could start while the hooks ran");
        assertFalse(Files.exists(root.resolve(POLICY)), "jxen's policy-rc.d was left in the guest");
        assertTrue(Files.isDirectory(root.resolve("proc")) && Files.isDirectory(root.resolve("tmp")));
    }

    @Test
    void aFailingHookIsNamedWithItsOutputAndTheGuestsOwnPolicyComesBack() throws Exception {
        Files.writeString(root.resolve(POLICY), "#!/bin/sh\nexit 0\n");
        Sandboxed runner = new Sandboxed(1);
        StageFailedException e = assertThrows(StageFailedException.class, () -> run(facts, runner, false));
        assertEquals("hooks", e.stage());
        assertTrue(e.getMessage().contains("hook 20-second exited with status 2 (" + config.resolve("hooks.d/20-second") + " " + root + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("boom in 20-second"), e.getMessage());
        assertFalse(e.getMessage().contains("jxen-sandbox "), "the sandbox's markers in the message: " + e.getMessage());
        assertEquals("#!/bin/sh\nexit 0\n", Files.readString(root.resolve(POLICY)));
    }

    @Test
    void aFailureAfterTheHooksLeavesNoPolicyOfJxensBehind() throws Exception {
        assertThrows(StageFailedException.class, () -> run(facts, new Sandboxed(-1), true));
        assertFalse(Files.exists(root.resolve(POLICY)));
        assertFalse(Files.exists(root.resolve("usr/sbin/.policy-rc.d.jxen-saved")));
    }

    @Test
    void noHooksForTheReleaseRunsNothing() throws Exception {
        for (String h : List.of("10-first", "20-second", "30-third~", "40-off")) {
            Files.delete(home.resolve("hooks/debian.d/" + h));
        }
        Files.delete(config.resolve("hooks.d/20-second"));
        Sandboxed runner = new Sandboxed(-1);
        run(facts, runner, false);
        assertEquals(List.of(), runner.commands);
        assertFalse(Files.exists(root.resolve(POLICY)));
        assertTrue(events.stream().anyMatch(e -> e instanceof JxenEvent.Progress p && p.what().equals("hooks done")));
    }

    @Test
    void aHookOthersCanChangeIsRefusedBeforeAnythingRuns() throws Exception {
        hook(config.resolve("hooks.d/50-writable"), "rwxrwxrwx");
        Sandboxed runner = new Sandboxed(-1);
        // a create knows its hooks before it starts: verify() refuses the run
        InvalidInputException create = assertThrows(InvalidInputException.class, () -> run(facts, runner, false));
        assertTrue(create.getMessage().contains("50-writable"), create.getMessage());
        // an update learns the guest's release from the guest: run() refuses
        InvalidInputException update = assertThrows(InvalidInputException.class, () -> run(null, runner, false));
        assertTrue(update.getMessage().contains("50-writable") && update.getMessage().contains("only root can change"), update.getMessage());
        assertEquals(List.of(), runner.commands);
        assertFalse(Files.exists(root.resolve(POLICY)));
    }

    @Test
    void thePlanListsTheHooksOfACreateAndOnlyNotesThoseOfAnUpdate() {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        b.add(new HookStage(sources(), policy(Sandbox.Trust.FRESH), mounted, facts, ctx -> facts));
        b.add(new HookStage(sources(), policy(Sandbox.Trust.FRESH), mounted, null, ctx -> facts));
        List<Pipeline.StagePlan> plan = b.build().plan();
        List<PlannedAction> create = plan.get(1).actions();
        assertEquals(List.of(home.resolve("hooks/debian.d/10-first") + " MOUNTPOINT", config.resolve("hooks.d/20-second") + " MOUNTPOINT"),
                create.stream().filter(p -> p.kind().equals("run")).map(PlannedAction::target).toList());
        assertTrue(plan.get(2).actions().stream().allMatch(p -> p.kind().equals("note")), plan.get(2).actions().toString());
    }
}
