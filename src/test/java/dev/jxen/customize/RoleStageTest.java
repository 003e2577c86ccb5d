package dev.jxen.customize;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.jxen.customize.SandboxedCommands.afterLastDashes;
import static dev.jxen.customize.SandboxedCommands.jails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The --role and --finalrole scripts: looked up in the role directories, checked before anything runs,
 * and each run with the guest's root and --role-args in the hooks' environment, in the guest's sandbox.
 * The sandboxed command is recorded, not run (that needs namespaces and a real guest; the ITs do it).
 */
class RoleStageTest {
    private static final String POLICY = "usr/sbin/policy-rc.d";

    @TempDir
    Path tmp;
    Path root;
    Path local;
    Path shipped;
    Path work;
    GuestFacts facts;
    final List<String> policyDuring = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Files.createDirectories(root.resolve("usr/sbin"));
        local = Files.createDirectories(tmp.resolve("role.d"));
        shipped = Files.createDirectories(tmp.resolve("home/roles"));
        work = tmp.resolve("work");
        role(local.resolve("web"), "rwxr-xr-x");
        role(shipped.resolve("base"), "rwxr-xr-x");
        role(shipped.resolve("web"), "rwxr-xr-x");
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=web1.example.org", "dir=" + tmp.resolve("store"), "ip=192.0.2.10", "password=Role-Secret-5");
        facts = GuestFacts.of(spec, null);
    }

    private static void role(Path p, String mode) throws Exception {
        Files.writeString(p, "#!/bin/sh\necho role\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private static ImageSpec.CustomizeSpec customize(List<String> roles, String args, List<String> finalRoles) {
        return new ImageSpec.CustomizeSpec(true, roles, args, finalRoles, null);
    }

    private Sandbox.Policy policy(Sandbox.Trust trust) {
        Path home = tmp.resolve("home");
        return new Sandbox.Policy(home.resolve("libexec/jxen-sandbox"), home.resolve("libexec/jxen-jail"), home.resolve("hooks/lib/in-guest.sh"),
                trust, work, "web1.example.org", List.of(), Optional.empty());
    }

    private RecordingCommandRunner runner(String failing) {
        return new RecordingCommandRunner(c -> {
            policyDuring.add(Files.exists(root.resolve(POLICY)) ? "placed" : "none");
            return new CommandResult(c.label().equals(failing) ? 3 : 0, "", List.of("role says no"));
        });
    }

    private RoleStage stage(ImageSpec.CustomizeSpec c, boolean finalRoles, Sandbox.Trust trust, StageResult<MountedRoot> mounted) {
        return new RoleStage(c, List.of(local, shipped), finalRoles, policy(trust), tmp.resolve("home/hooks/lib/in-guest.sh"), mounted, ctx -> facts);
    }

    private Pipeline pipeline(ImageSpec.CustomizeSpec c, boolean finalRoles, Sandbox.Trust trust, boolean fail) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        b.add(stage(c, finalRoles, trust, mounted));
        if (fail) {
            b.add(TestStages.failing());
        }
        return b.build();
    }

    private void run(ImageSpec.CustomizeSpec c, boolean finalRoles, Sandbox.Trust trust, RecordingCommandRunner runner, boolean fail) {
        pipeline(c, finalRoles, trust, fail).run(runner, new EventHandlers(new Redactor()), new UndoStack());
    }

    @Test
    void withoutRolesNothingRunsAndTheGuestIsNotTouched() throws Exception {
        RecordingCommandRunner runner = runner(null);
        run(customize(List.of(), "", List.of()), false, Sandbox.Trust.FRESH, runner, false);
        assertEquals(List.of(), runner.commands());
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(List.of(root.resolve("usr")), s.toList(), "the guest's tree was changed");
        }
        assertFalse(Files.exists(root.resolve(POLICY)));
        List<PlannedAction> plan = pipeline(customize(List.of(), "", List.of()), true, Sandbox.Trust.FRESH, false).plan().get(1).actions();
        assertEquals(List.of(PlannedAction.note("no final roles")), plan);
    }

    @Test
    void eachRoleRunsFromTheFirstDirectoryThatHasItWithTheRootAndTheRoleArgs() throws Exception {
        RecordingCommandRunner runner = runner(null);
        run(customize(List.of("web", "base"), "  --site   example ", List.of("never")), false, Sandbox.Trust.FRESH, runner, false);

        List<Command> cs = runner.commands();
        assertEquals(2, cs.size(), runner.lines().toString());
        assertEquals(List.of(local.resolve("web").toString(), root.toString(), "--site", "example"), afterLastDashes(cs.get(0)),
                "--roledir wins over jxen's own roles");
        assertEquals(List.of(shipped.resolve("base").toString(), root.toString(), "--site", "example"), afterLastDashes(cs.get(1)));
        assertEquals("role web", cs.get(0).label());
        for (Command c : cs) {
            assertEquals("unshare", c.argv().get(0));
            assertTrue(c.display().contains(" --root " + root + " "), c.display());
            assertEquals("web1.example.org", c.env().get("hostname"));
            assertEquals("192.0.2.10", c.env().get("ip1"));
            assertEquals(tmp.resolve("home/hooks/lib/in-guest.sh").toString(), c.env().get("JXEN_HOOK_LIB"));
            assertNull(c.env().get("password"));
            assertFalse(c.env().containsValue("Role-Secret-5"), "the root password in a role's environment");
        }
        assertEquals(List.of("placed", "placed"), policyDuring, "daemons could start while the roles ran");
        assertFalse(Files.exists(root.resolve(POLICY)));
    }

    @Test
    void finalRolesAreTheirOwnStage() throws Exception {
        RecordingCommandRunner runner = runner(null);
        Pipeline p = pipeline(customize(List.of("web"), "", List.of("base")), true, Sandbox.Trust.FRESH, false);
        assertEquals("final roles", p.stages().get(1).name());
        p.run(runner, new EventHandlers(new Redactor()), new UndoStack());
        assertEquals(1, runner.commands().size());
        assertEquals(List.of(shipped.resolve("base").toString(), root.toString()), afterLastDashes(runner.commands().get(0)));
    }

    @Test
    void missingNonExecutableAndWritableRolesAreRefusedBeforeAnythingRuns() throws Exception {
        role(local.resolve("off"), "rw-r--r--");
        role(local.resolve("open"), "rwxrwxrwx");
        RecordingCommandRunner runner = runner(null);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run(customize(List.of("web", "nosuch", "off", "open"), "", List.of()), false, Sandbox.Trust.FRESH, runner, false));
        assertTrue(e.getMessage().contains("--role nosuch: no executable role script " + local.resolve("nosuch")), e.getMessage());
        assertTrue(e.getMessage().contains("--role off: no executable role script"), e.getMessage());
        assertTrue(e.getMessage().contains("--role open: ") && e.getMessage().contains("only root can change"), e.getMessage());
        assertFalse(e.getMessage().contains("--role web"), e.getMessage());
        assertEquals(List.of(), runner.commands());
        assertFalse(Files.exists(root.resolve("proc")));
    }

    @Test
    void aFailingRoleStopsTheRestAndTheGuestsOwnPolicyComesBack() throws Exception {
        Files.writeString(root.resolve(POLICY), "#!/bin/sh\nexit 0\n");
        RecordingCommandRunner runner = runner("role web");
        StageFailedException e = assertThrows(StageFailedException.class,
                () -> run(customize(List.of("web", "base"), "", List.of()), false, Sandbox.Trust.FRESH, runner, false));
        assertEquals("roles", e.stage());
        assertTrue(e.getMessage().contains("role web exited with status 3") && e.getMessage().contains("role says no"), e.getMessage());
        assertEquals(1, runner.commands().size(), "a role ran after one failed");
        assertEquals("#!/bin/sh\nexit 0\n", Files.readString(root.resolve(POLICY)));
    }

    @Test
    void anUntrustedGuestsRoleSeesOnlyTheFilesItsArgumentsNameAndTheJailGoesAfterAFailure() throws Exception {
        Path key = Files.writeString(Files.createDirectories(tmp.resolve("keys")).resolve("deploy.pub"), "ssh-ed25519 AAAA deploy\n");
        RecordingCommandRunner runner = runner(null);
        assertThrows(StageFailedException.class,
                () -> run(customize(List.of("web"), key + " plain-word", List.of()), false, Sandbox.Trust.UNTRUSTED, runner, true));
        Command c = runner.commands().get(0);
        List<String> a = c.argv();
        assertEquals(List.of("unshare", "--net", "--"), a.subList(0, 3));
        assertTrue(a.get(a.indexOf("--filter") + 1).endsWith("/hook.bpf"), "a role runs under the hooks' seccomp filter: " + c.display());
        assertTrue(c.display().contains("--ro-bind " + key + " " + key), "the key file the role's arguments name is not readable: " + c.display());
        assertTrue(c.display().contains("--ro-bind " + local.resolve("web") + " " + local.resolve("web")), c.display());
        assertTrue(c.display().contains("--bind " + root + " " + root), "the guest at its own path: " + c.display());
        assertEquals(List.of(local.resolve("web").toString(), root.toString(), key.toString(), "plain-word"), afterLastDashes(c));
        assertTrue(c.onlyOwnEnv());
        assertEquals(List.of(), jails(work), "the sandbox files of a failed run were left");
        assertFalse(Files.exists(root.resolve(POLICY)));
    }

    @Test
    void anUntrustedGuestsRoleSeesTheFilesAndRootsDirectoriesItsKeyArgumentsName() throws Exception {
        Path sudoers = Files.writeString(Files.createDirectories(tmp.resolve("etc")).resolve("sudoers"), "root ALL=(ALL:ALL) ALL\n");
        Path sed = Files.createDirectories(tmp.resolve("sed.d/etc"));
        Files.setPosixFilePermissions(sed.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path open = Files.createDirectories(tmp.resolve("open.d"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxr-x"));
        RecordingCommandRunner runner = runner(null);
        run(customize(List.of("web"), "sudoers=" + sudoers + " sed.d=" + sed.getParent() + " other.d=" + open + " nameserver=192.0.2.53",
                List.of()), false, Sandbox.Trust.UNTRUSTED, runner, false);
        String display = runner.commands().get(0).display();
        assertTrue(display.contains("--ro-bind " + sudoers + " " + sudoers), "a key=/file argument is not readable: " + display);
        assertTrue(display.contains("--ro-bind " + sed.getParent() + " " + sed.getParent()), "a root-only directory is not readable: " + display);
        assertFalse(display.contains("--ro-bind " + open), "a directory its group can change was handed to the sandbox: " + display);
        assertEquals(List.of(local.resolve("web").toString(), root.toString(), "sudoers=" + sudoers, "sed.d=" + sed.getParent(),
                "other.d=" + open, "nameserver=192.0.2.53"), afterLastDashes(runner.commands().get(0)));
    }
}
