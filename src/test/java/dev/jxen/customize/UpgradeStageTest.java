package dev.jxen.customize;

import dev.jxen.cli.InProcess;
import dev.jxen.error.StageFailedException;
import dev.jxen.guest.Sandbox;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.jxen.customize.SandboxedCommands.afterLastDashes;
import static dev.jxen.customize.SandboxedCommands.jails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * apt-get update, upgrade and clean in a stopped guest, each wrapped for its sandbox. The commands are
 * recorded, not run: running them needs a real guest tree and namespaces (the ITs do that). What is
 * asserted is what jxen builds around them: the sandbox's command line, the environment, the
 * policy-rc.d that keeps daemons from starting while they run, and that everything of jxen's leaves the
 * guest afterwards, also when apt fails.
 */
class UpgradeStageTest {
    private static final String POLICY = "usr/sbin/policy-rc.d";

    @TempDir
    Path tmp;
    Path root;
    Path work;
    final List<String> policyDuring = new ArrayList<>();

    @BeforeEach
    void guest() throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.writeString(root.resolve(POLICY), "#!/bin/sh\n# the guest's own\nexit 0\n");
        work = tmp.resolve("work");
    }

    private Sandbox.Policy policy(Sandbox.Trust trust) {
        Path home = InProcess.home();
        return new Sandbox.Policy(home.resolve("libexec/jxen-sandbox"), home.resolve("libexec/jxen-jail"), home.resolve("hooks/lib/in-guest.sh"),
                trust, work, "web1", List.of(), Optional.empty());
    }

    /** Records each command, and what the guest's policy-rc.d said while it ran. */
    private RecordingCommandRunner runner(int upgradeStatus) {
        return new RecordingCommandRunner(c -> {
            try {
                policyDuring.add(Files.readString(root.resolve(POLICY)));
            } catch (java.io.IOException e) {
                policyDuring.add("missing");
            }
            return new CommandResult(c.argv().contains("upgrade") ? upgradeStatus : 0, "", List.of());
        });
    }

    private void run(Sandbox.Policy policy, RecordingCommandRunner runner, boolean fail) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        b.add(new UpgradeStage(policy, mounted));
        if (fail) {
            b.add(TestStages.failing());
        }
        b.build().run(runner, new EventHandlers(new Redactor()), new UndoStack());
    }

    @Test
    void aFreshGuestsAptRunsChrootedInNamespacesWithDaemonsHeldBack() throws Exception {
        RecordingCommandRunner runner = runner(0);
        run(policy(Sandbox.Trust.FRESH), runner, false);

        List<Command> cs = runner.commands();
        assertEquals(3, cs.size(), runner.lines().toString());
        assertEquals(List.of("chroot", root.toString(), "apt-get", "-q", "update"), afterLastDashes(cs.get(0)));
        assertEquals(List.of("chroot", root.toString(), "apt-get", "-q", "-y", "-o", "Dpkg::Options::=--force-confold", "upgrade"),
                afterLastDashes(cs.get(1)));
        assertEquals(List.of("chroot", root.toString(), "apt-get", "-q", "clean"), afterLastDashes(cs.get(2)));
        for (Command c : cs) {
            assertEquals(List.of("unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child", "--mount-proc"),
                    c.argv().subList(0, 8), c.display());
            assertTrue(c.display().contains(" --root " + root + " --proc " + root.resolve("proc") + " --sys " + root.resolve("sys")
                    + " --dev " + root.resolve("dev") + " --tmp " + root.resolve("tmp") + " "), c.display());
            assertEquals("noninteractive", c.env().get("DEBIAN_FRONTEND"));
            assertEquals("C.UTF-8", c.env().get("LC_ALL"));
        }
        assertEquals(3, policyDuring.size());
        assertTrue(policyDuring.stream().allMatch(p -> p.contains("written by jxen") && p.contains("exit 101")), policyDuring.toString());
        assertEquals("#!/bin/sh\n# the guest's own\nexit 0\n", Files.readString(root.resolve(POLICY)), "the guest's policy-rc.d was not put back");
        assertFalse(Files.exists(root.resolve("usr/sbin/.policy-rc.d.jxen-saved")));
        for (String d : List.of("proc", "sys", "dev", "tmp")) {
            assertTrue(Files.isDirectory(root.resolve(d)), d);
        }
        assertEquals(List.of(), jails(work), "a fresh guest needs no jail");
    }

    @Test
    void anUntrustedGuestsAptRunsInBubblewrapWithTheGuestAsRootAndNoNetwork() throws Exception {
        Files.delete(root.resolve(POLICY));
        RecordingCommandRunner runner = new RecordingCommandRunner(c -> {
            try {
                Path filter = Path.of(c.argv().get(c.argv().indexOf("--filter") + 1));
                policyDuring.add(Files.isRegularFile(filter) && Files.size(filter) > 0 ? Files.readString(root.resolve(POLICY)) : "no filter");
            } catch (java.io.IOException e) {
                policyDuring.add("missing");
            }
            return new CommandResult(0, "", List.of());
        });
        run(policy(Sandbox.Trust.UNTRUSTED), runner, false);

        List<Command> cs = runner.commands();
        assertEquals(3, cs.size(), runner.lines().toString());
        for (Command c : cs) {
            List<String> a = c.argv();
            assertEquals(List.of("unshare", "--net", "--", "/bin/sh", InProcess.home().resolve("libexec/jxen-jail").toString(), "--filter"),
                    a.subList(0, 6), c.display());
            assertTrue(a.get(6).endsWith("/guest.bpf"), "the guest programs' seccomp filter: " + a.get(6));
            assertFalse(a.contains("--channel"), "no mirrors: no way out of the sandbox at all");
            int bind = a.indexOf("--bind");
            assertEquals(List.of("--bind", root.toString(), "/"), a.subList(bind, bind + 3), "the guest is the sandbox's root");
            assertTrue(c.onlyOwnEnv(), "the sandbox gets only the environment it is given");
            assertEquals("noninteractive", c.env().get("DEBIAN_FRONTEND"));
            assertTrue(c.env().containsKey("PATH"));
            assertFalse(a.contains("chroot"), c.display());
        }
        assertEquals(List.of("apt-get", "-q", "update"), afterLastDashes(cs.get(0)));
        assertEquals("upgrade", afterLastDashes(cs.get(1)).get(afterLastDashes(cs.get(1)).size() - 1));
        assertTrue(policyDuring.stream().allMatch(p -> p.contains("exit 101")), policyDuring.toString());
        assertFalse(Files.exists(root.resolve(POLICY)), "jxen's policy-rc.d was left in a guest that had none");
        assertEquals(List.of(), jails(work), "the run's sandbox files were left");
    }

    @Test
    void aFailedUpgradeStopsThereAndLeavesNothingOfJxensInTheGuest() throws Exception {
        RecordingCommandRunner runner = runner(100);
        StageFailedException e = assertThrows(StageFailedException.class, () -> run(policy(Sandbox.Trust.UNTRUSTED), runner, false));
        assertEquals("upgrade", e.stage());
        assertTrue(e.getMessage().contains("apt-get exited with status 100"), e.getMessage());
        assertEquals(2, runner.commands().size(), "apt-get clean ran after a failed upgrade: " + runner.lines());
        assertEquals("#!/bin/sh\n# the guest's own\nexit 0\n", Files.readString(root.resolve(POLICY)));
        assertEquals(List.of(), jails(work));
    }

    @Test
    void aFailureAfterTheUpgradeFindsTheGuestsOwnFilesBack() throws Exception {
        assertThrows(StageFailedException.class, () -> run(policy(Sandbox.Trust.UNTRUSTED), runner(0), true));
        assertEquals("#!/bin/sh\n# the guest's own\nexit 0\n", Files.readString(root.resolve(POLICY)));
        assertEquals(List.of(), jails(work));
    }

    @Test
    void thePlanNamesTheCommandsAndTheSandbox() {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        b.add(new UpgradeStage(policy(Sandbox.Trust.UNTRUSTED), mounted));
        List<PlannedAction> plan = b.build().plan().get(1).actions();
        assertTrue(plan.get(0).toString().contains("bubblewrap") && plan.get(0).toString().contains("no network"), plan.get(0).toString());
        assertEquals(4, plan.size(), plan.toString());
        assertTrue(plan.get(2).toString().contains("chroot MOUNTPOINT apt-get -q -y -o Dpkg::Options::=--force-confold upgrade"), plan.get(2).toString());
    }
}
