package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.CommandResult;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host keys of a guest the Debian Installer installs: made by the real ssh-keygen (through a
 * recording runner) in a private directory under the installer's files, held there while the run
 * lasts (a stage after it looks at them), and removed when the run ends, however it ends.
 */
class InstallerHostKeysStageTest {
    private static final String HOST = "inst1.example.org";

    @TempDir
    Path tmp;
    private final List<String> info = Collections.synchronizedList(new ArrayList<>());

    /** What a later stage finds in the key directory: each file and its mode. */
    private record Seen(Path dir, String dirMode, Map<String, String> files, List<String> sshKeygenFingerprints) {
    }

    private static Stage<Seen> looking(StageResult<HostIdentity> identity) {
        return TestStages.looking("look", ctx -> {
            Path dir = ctx.get(identity).keyFiles();
            Map<String, String> files = new TreeMap<>();
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    files.put(p.getFileName().toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                }
            }
            List<String> fps = new ArrayList<>();
            for (String t : List.of("ed25519", "ecdsa", "rsa")) {
                Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", dir.resolve("ssh_host_" + t + "_key.pub").toString()).start();
                fps.add(new String(p.getInputStream().readAllBytes()).strip());
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            return new Seen(dir, PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), files, fps);
        });
    }

    private ImageSpec spec() throws Exception {
        return TestSpecs.spec(tmp, "hostname=" + HOST, "install-method=installer", "pygrub", "type=pv", "dir=" + tmp.resolve("store"));
    }

    private Path filesDir() {
        return tmp.resolve("installer-files");
    }

    private static RecordingCommandRunner realSshKeygen() {
        LocalCommandRunner local = new LocalCommandRunner();
        return new RecordingCommandRunner(c -> local.run(c, l -> { }));
    }

    private EventHandlers events() {
        return new EventHandlers(new Redactor()).add(e -> {
            if (e instanceof JxenEvent.StepLog l && l.level() == JxenEvent.Level.INFO && l.stage().equals("identity")) {
                info.add(l.text());
            }
        });
    }

    private List<String> left() throws Exception {
        try (var s = Files.list(filesDir())) {
            return s.map(Path::toString).toList();
        }
    }

    @Test
    void threeKeyPairsInAPrivateDirectoryThatIsGoneWhenTheRunEnds() throws Exception {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<HostIdentity> id = b.add(new InstallerHostKeysStage(spec(), filesDir()));
        StageResult<Seen> look = b.add(looking(id));
        RecordingCommandRunner r = realSshKeygen();
        StageContext ctx = b.build().run(r, events(), new UndoStack());
        HostIdentity identity = ctx.get(id);
        Seen seen = ctx.get(look);

        Path dir = seen.dir();
        assertEquals(filesDir(), dir.getParent());
        assertTrue(dir.getFileName().toString().startsWith(HOST + ".keys."), dir.toString());
        assertEquals("rwx------", seen.dirMode());
        Map<String, String> expected = new TreeMap<>();
        for (String f : HostKeys.FILES) {
            expected.put(f, f.endsWith(".pub") ? "rw-r--r--" : "rw-------");
        }
        assertEquals(expected, seen.files());
        assertEquals(List.of(
                "ssh-keygen -q -t ecdsa -b 521 -N '' -C root@" + HOST + " -f " + dir.resolve("ssh_host_ecdsa_key"),
                "ssh-keygen -q -t ed25519 -N '' -C root@" + HOST + " -f " + dir.resolve("ssh_host_ed25519_key"),
                "ssh-keygen -q -t rsa -b 3072 -N '' -C root@" + HOST + " -f " + dir.resolve("ssh_host_rsa_key")),
                r.lines().stream().sorted().toList());

        assertNull(identity.machineId(), "the installer makes the machine id");
        assertEquals(dir, identity.keyFiles());
        assertEquals(List.of("ssh-ed25519", "ecdsa-sha2-nistp521", "ssh-rsa"), identity.sshPublicKeys().stream().map(k -> k.split(" ")[0]).toList());
        assertTrue(identity.sshPublicKeys().stream().allMatch(k -> k.endsWith(" root@" + HOST)), identity.sshPublicKeys().toString());
        assertEquals(List.of("256", "521", "3072"), identity.sshFingerprints().stream().map(f -> f.split(" ")[0]).toList());
        for (int i = 0; i < 3; i++) {
            String sha = seen.sshKeygenFingerprints().get(i).split(" ")[1];
            assertEquals(sha, identity.sshFingerprints().get(i).split(" ")[1], "the fingerprint ssh-keygen -l gives");
        }
        assertEquals(identity.sshFingerprints().stream().map(f -> "SSH host key " + f).toList(), info);
        assertFalse(Files.exists(dir), "the private keys outlived the run");
        assertEquals(List.of(), left());
    }

    @Test
    void aFailureAfterItRemovesTheKeysToo() throws Exception {
        Pipeline.Builder b = Pipeline.builder(true, null);
        StageResult<HostIdentity> id = b.add(new InstallerHostKeysStage(spec(), filesDir()));
        b.add(looking(id));
        b.add(TestStages.failing());
        UndoStack undo = new UndoStack();
        assertThrows(StageFailedException.class, () -> b.build().run(realSshKeygen(), events(), undo));
        assertEquals(List.of(), left(), "with --keep too: the keys are no part of the guest's storage");
        assertEquals(0, undo.size());
    }

    @Test
    void aFailingSshKeygenFailsTheStageAndLeavesNoKeys() throws Exception {
        LocalCommandRunner local = new LocalCommandRunner();
        RecordingCommandRunner r = new RecordingCommandRunner(c -> c.argv().contains("rsa")
                ? new CommandResult(1, "", List.of("Saving key failed: No space left on device")) : local.run(c, l -> { }));
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new InstallerHostKeysStage(spec(), filesDir()));
        StageFailedException e = assertThrows(StageFailedException.class, () -> b.build().run(r, events(), new UndoStack()));
        assertEquals("identity", e.stage());
        assertTrue(e.getMessage().contains("ssh-keygen exited with status 1 (ssh-keygen -q -t rsa -b 3072")
                && e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals(3, r.commands().size(), "each key type is tried: " + r.lines());
        assertEquals(List.of(), left());
    }

    @Test
    void thePlanNamesTheKeygenRunsAndTouchesNothing() throws Exception {
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new InstallerHostKeysStage(spec(), filesDir()));
        List<PlannedAction> plan = b.build().plan().get(0).actions();
        assertEquals(List.of(
                "run ssh-keygen -q -t ed25519 -N '' -C root@" + HOST + " -f KEYDIR/ssh_host_ed25519_key",
                "run ssh-keygen -q -t ecdsa -b 521 -N '' -C root@" + HOST + " -f KEYDIR/ssh_host_ecdsa_key",
                "run ssh-keygen -q -t rsa -b 3072 -N '' -C root@" + HOST + " -f KEYDIR/ssh_host_rsa_key"),
                plan.subList(0, 3).stream().map(a -> a.kind() + " " + a.target()).toList());
        assertTrue(plan.get(3).target().contains("KEYDIR is a private directory under " + filesDir() + ", removed when the run ends"), plan.toString());
        assertFalse(Files.exists(filesDir()));
    }
}
