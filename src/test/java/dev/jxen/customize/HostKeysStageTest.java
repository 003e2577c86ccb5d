package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.CommandResult;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host keys stage starts ssh-keygen into a private directory at once; the identity stage takes the
 * keys into the guest; the directory goes at the end of the run, whether it succeeds or fails.
 */
class HostKeysStageTest {
    @TempDir
    Path tmp;
    Path root;
    ImageSpec spec;
    final List<List<UndoStack.Entry>> journal = Collections.synchronizedList(new ArrayList<>());
    final List<JxenEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void guest() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc/ssh"));
        spec = TestSpecs.spec(tmp, "hostname=web1.example.org", "dir=" + tmp.resolve("store"));
    }

    /** What a stage between the two saw of the key directory while the run went on. */
    private record Seen(Path dir, boolean existed, String mode) {
    }

    private static Stage<Seen> look(StageResult<HostKeysStage.Pending> keys) {
        return TestStages.looking("look", ctx -> {
            Path dir = ctx.get(keys).dir();
            return new Seen(dir, Files.isDirectory(dir), PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        });
    }

    private record Ran(Seen seen, HostIdentity identity) {
    }

    /** host keys → mount → look → identity (with the early keys) [→ a failure] */
    private Ran run(dev.jxen.system.CommandRunner runner, boolean fail, AtomicReference<Seen> seen) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<HostKeysStage.Pending> keys = b.add(new HostKeysStage(spec));
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        StageResult<Seen> look = b.add(look(keys));
        b.add(TestStages.looking("keep", ctx -> {
            seen.set(ctx.get(look));
            return null;
        }));
        StageResult<HostIdentity> identity = b.add(new HostIdentityStage(spec, mounted, keys));
        if (fail) {
            b.add(TestStages.failing());
        }
        StageContext ctx = b.build().run(runner, new EventHandlers(new Redactor()).add(events::add), new UndoStack(journal::add));
        return new Ran(ctx.get(look), ctx.get(identity));
    }

    @Test
    void theKeysAreMadeEarlyTakenIntoTheGuestAndTheirDirectoryRemoved() throws Exception {
        AtomicReference<Seen> seen = new AtomicReference<>();
        Ran ran = run(new LocalCommandRunner(), false, seen);

        Seen s = ran.seen();
        assertTrue(s.existed());
        assertEquals("rwx------", s.mode(), "the key directory is not private");
        assertFalse(s.dir().startsWith(root), "the keys are made in the guest's tree");
        assertFalse(Files.exists(s.dir()), "the key directory was left after the run");

        for (String f : HostKeys.FILES) {
            assertTrue(Files.isRegularFile(root.resolve("etc/ssh/" + f)), f);
        }
        assertEquals(3, ran.identity().sshPublicKeys().size());
        assertEquals(Files.readString(root.resolve("etc/ssh/ssh_host_rsa_key.pub")).strip(), ran.identity().sshPublicKeys().get(2));
        assertTrue(ran.identity().sshPublicKeys().get(2).endsWith(" root@web1.example.org"));
        assertEquals(3, ran.identity().sshFingerprints().size());

        List<UndoStack.Entry> first = journal.stream().filter(j -> !j.isEmpty()).findFirst().orElseThrow();
        assertEquals("remove-tree", first.get(0).action().kind(), "journaled so that a killed run's directory is removed");
        assertEquals(s.dir().toString(), first.get(0).action().args().get("dir"));
        assertEquals(UndoStack.When.CLEANUP, first.get(0).when());
        assertTrue(journal.get(journal.size() - 1).isEmpty(), "entries left: " + journal.get(journal.size() - 1));

        List<String> logged = events.stream().filter(e -> e instanceof JxenEvent.StepLog l && l.level() == JxenEvent.Level.COMMAND)
                .map(e -> ((JxenEvent.StepLog) e).text()).filter(t -> t.startsWith("ssh-keygen")).toList();
        assertEquals(3, logged.size(), logged.toString());
        assertTrue(logged.get(0).contains("-t ed25519 -N '' -C root@web1.example.org -f " + s.dir().resolve("ssh_host_ed25519_key")), logged.get(0));
        assertTrue(logged.get(1).contains("-t ecdsa -b 521 "), logged.get(1));
        assertTrue(logged.get(2).contains("-t rsa -b 3072 "), logged.get(2));
    }

    @Test
    void aFailureLaterRemovesTheKeyDirectory() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner(c -> {
            try {
                Path f = Path.of(c.argv().get(c.argv().indexOf("-f") + 1));
                Files.writeString(f, "private\n");
                Files.writeString(Path.of(f + ".pub"), "ssh-ed25519 AAAA root@web1\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new CommandResult(0, "", List.of());
        });
        AtomicReference<Seen> seen = new AtomicReference<>();
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<HostKeysStage.Pending> keys = b.add(new HostKeysStage(spec));
        StageResult<Seen> look = b.add(look(keys));
        b.add(TestStages.looking("keep", ctx -> {
            ctx.get(keys).await();
            seen.set(ctx.get(look));
            return null;
        }));
        b.add(TestStages.failing());
        assertThrows(StageFailedException.class,
                () -> b.build().run(runner, new EventHandlers(new Redactor()), new UndoStack(journal::add)));
        assertTrue(seen.get().existed());
        assertFalse(Files.exists(seen.get().dir()), "a failed create left its key directory (with private keys)");
        assertEquals(3, runner.commands().size());
        assertTrue(runner.commands().stream().allMatch(c -> c.argv().get(0).equals("ssh-keygen")));
        assertTrue(journal.get(journal.size() - 1).isEmpty());
    }

    @Test
    void aKeygenThatFailsFailsTheIdentityStageAndTheDirectoryStillGoes() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner(c -> c.argv().contains("rsa")
                ? new CommandResult(1, "", List.of("ssh-keygen: out of entropy")) : new CommandResult(0, "", List.of()));
        AtomicReference<Seen> seen = new AtomicReference<>();
        StageFailedException e = assertThrows(StageFailedException.class, () -> run(runner, false, seen));
        assertEquals("identity", e.stage(), e.getMessage());
        assertTrue(e.getMessage().contains("ssh-keygen") && e.getMessage().contains("status 1"), e.getMessage());
        assertFalse(Files.exists(seen.get().dir()));
        assertFalse(Files.exists(root.resolve("etc/ssh/ssh_host_ed25519_key")), "keys of a failed keygen were put into the guest");
    }
}
