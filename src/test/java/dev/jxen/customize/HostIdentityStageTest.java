package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.pipeline.Pipeline;
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
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The identity stage gives each guest its own name, machine-id, random seed and SSH host keys, made by ssh-keygen for real. */
class HostIdentityStageTest {
    @TempDir
    Path tmp;
    Path root;
    final List<Command> commands = Collections.synchronizedList(new ArrayList<>());
    final List<JxenEvent> events = Collections.synchronizedList(new ArrayList<>());

    /** ssh-keygen run for real, each command also recorded. */
    final CommandRunner runner = new CommandRunner() {
        private final LocalCommandRunner local = new LocalCommandRunner();

        public CommandResult run(Command command, Consumer<String> lines) {
            commands.add(command);
            return local.run(command, lines);
        }
    };

    @BeforeEach
    void guest() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc/ssh"));
        Files.createDirectories(root.resolve("var/lib/dbus"));
        Files.createDirectories(root.resolve("var/lib/systemd"));
        Files.writeString(root.resolve("etc/machine-id"), "");
    }

    /** The guest's links to /etc/machine-id lead out of the temporary directory, which JUnit warns about. */
    @AfterEach
    void unlink() throws Exception {
        Files.deleteIfExists(root.resolve("var/lib/dbus/machine-id"));
    }

    private HostIdentity run(ImageSpec spec, CommandRunner with) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        StageResult<HostIdentity> identity = b.add(new HostIdentityStage(spec, mounted, StageResult.absent("host keys")));
        return b.build().run(with, new EventHandlers(new Redactor()).add(events::add), new UndoStack()).get(identity);
    }

    private ImageSpec spec() throws Exception {
        return TestSpecs.spec(tmp, "hostname=web1.example.org", "dir=" + tmp.resolve("store"));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static String sshKeygenL(Path pub) throws Exception {
        Process l = new ProcessBuilder("ssh-keygen", "-l", "-f", pub.toString()).redirectErrorStream(true).start();
        String out = new String(l.getInputStream().readAllBytes()).strip();
        assertEquals(0, l.waitFor(), out);
        return out;
    }

    @Test
    void aGuestGetsItsNameMachineIdSeedAndNewHostKeys() throws Exception {
        Files.writeString(root.resolve("etc/ssh/ssh_host_ed25519_key"), "OLD KEY OF ANOTHER MACHINE\n");
        Files.setPosixFilePermissions(root.resolve("etc/ssh/ssh_host_ed25519_key"), PosixFilePermissions.fromString("rw-------"));
        HostIdentity id = run(spec(), runner);

        assertEquals("web1\n", Files.readString(root.resolve("etc/hostname")));
        assertEquals("web1.example.org\n", Files.readString(root.resolve("etc/mailname")));
        assertEquals(id.machineId() + "\n", Files.readString(root.resolve("etc/machine-id")));
        assertTrue(id.machineId().matches("[0-9a-f]{32}"), id.machineId());
        Path dbus = root.resolve("var/lib/dbus/machine-id");
        assertTrue(Files.isSymbolicLink(dbus));
        assertEquals(Path.of("/etc/machine-id"), Files.readSymbolicLink(dbus));
        Path seed = root.resolve("var/lib/systemd/random-seed");
        assertEquals(512, Files.size(seed));
        assertEquals("rw-------", mode(seed));

        List<String> keygens = commands.stream().filter(c -> c.argv().get(0).equals("ssh-keygen")).map(Command::display).toList();
        assertEquals(3, keygens.size(), keygens.toString());
        assertTrue(keygens.stream().allMatch(c -> c.contains(" -C root@web1.example.org ")), keygens.toString());
        assertTrue(keygens.stream().noneMatch(c -> c.contains("dsa ") && !c.contains("ecdsa")), "a DSA key was made: " + keygens);
        assertTrue(keygens.stream().noneMatch(c -> c.contains(root.toString())), "ssh-keygen wrote into the guest's tree itself: " + keygens);

        List<String> types = List.of("ed25519", "ecdsa", "rsa");
        List<String> wire = List.of("ssh-ed25519 ", "ecdsa-sha2-nistp521 ", "ssh-rsa ");
        for (int i = 0; i < 3; i++) {
            Path key = root.resolve("etc/ssh/ssh_host_" + types.get(i) + "_key");
            Path pub = root.resolve("etc/ssh/ssh_host_" + types.get(i) + "_key.pub");
            assertEquals("rw-------", mode(key), key.toString());
            assertEquals("rw-r--r--", mode(pub), pub.toString());
            assertTrue(Files.readString(key).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"), "not a new key: " + key);
            String line = Files.readString(pub).strip();
            assertTrue(line.startsWith(wire.get(i)) && line.endsWith(" root@web1.example.org"), line);
            assertEquals(line, id.sshPublicKeys().get(i));
            assertEquals(sshKeygenL(pub), id.sshFingerprints().get(i), "the fingerprint is not ssh-keygen's");
        }
        assertEquals(3, id.sshFingerprints().size());
        assertEquals(null, id.keyFiles());
        assertTrue(events.stream().anyMatch(e -> e.toString().contains("SSH host key " + id.sshFingerprints().get(0))));
    }

    @Test
    void noTwoGuestsShareAnIdentity() throws Exception {
        HostIdentity one = run(spec(), runner);
        byte[] seed = Files.readAllBytes(root.resolve("var/lib/systemd/random-seed"));
        HostIdentity two = run(spec(), runner);
        assertNotEquals(one.machineId(), two.machineId());
        assertNotEquals(one.sshPublicKeys(), two.sshPublicKeys());
        assertFalse(java.util.Arrays.equals(seed, Files.readAllBytes(root.resolve("var/lib/systemd/random-seed"))));
        assertEquals(two.sshPublicKeys().get(0), Files.readString(root.resolve("etc/ssh/ssh_host_ed25519_key.pub")).strip());
    }

    @Test
    void aGuestWithoutSshGetsNoKeysAndOnlyWhatItHasRoomFor() throws Exception {
        Path bare = Files.createDirectories(tmp.resolve("bare/etc")).getParent();
        root = bare;
        RecordingCommandRunner recording = new RecordingCommandRunner();
        HostIdentity id = run(spec(), recording);
        assertTrue(recording.commands().isEmpty(), "ssh-keygen ran for a guest without /etc/ssh: " + recording.lines());
        assertEquals(List.of(), id.sshFingerprints());
        assertEquals(List.of(), id.sshPublicKeys());
        assertEquals(id.machineId() + "\n", Files.readString(bare.resolve("etc/machine-id")));
        assertFalse(Files.exists(bare.resolve("var")), "no dbus or systemd in the guest, yet jxen made their directories");
        assertFalse(Files.exists(bare.resolve("etc/ssh")));
        assertTrue(events.stream().anyMatch(e -> e instanceof JxenEvent.StepLog l && l.level() == JxenEvent.Level.WARN
                && l.text().contains("no /etc/ssh")), events.toString());
    }

    @Test
    void aMachineIdTheGuestAlreadyLinksIsKept() throws Exception {
        Files.writeString(root.resolve("var/lib/dbus/machine-id"), "0123456789abcdef0123456789abcdef\n");
        byte[] before = Files.readAllBytes(root.resolve("var/lib/dbus/machine-id"));
        run(spec(), runner);
        assertFalse(Files.isSymbolicLink(root.resolve("var/lib/dbus/machine-id")));
        assertArrayEquals(before, Files.readAllBytes(root.resolve("var/lib/dbus/machine-id")));
    }

    /**
     * Defect: a private key is written with GuestRoot.write(..., "rw-------"), which keeps the owner and mode
     * of a file already there; a tree that was not scrubbed (--install=0 --dontformat on existing disks)
     * with a world-readable key file, or one of another user's, gets its new private key as readable.
     */
    @Test
    void newPrivateKeysAreRootsAloneWhateverWasThere() throws Exception {
        Path old = Files.writeString(root.resolve("etc/ssh/ssh_host_rsa_key"), "OLD\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setAttribute(old, "unix:uid", 1000);
        run(spec(), runner);
        assertEquals("rw-------", mode(old));
        assertEquals(0, Files.getAttribute(old, "unix:uid"));
    }

    /**
     * Defect: the two-argument constructor passes a null key for the early host keys, which plan()
     * and run() call present() on (ARCHITECTURE.md: an absent stage is StageResult.absent, never null).
     */
    @Test
    void theConstructorWithoutEarlyKeysMakesThemHere() throws Exception {
        ImageSpec spec = spec();
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        HostIdentityStage stage = new HostIdentityStage(spec, mounted);
        b.add(stage);
        Pipeline p = b.build();
        assertDoesNotThrow(p::plan);
        assertDoesNotThrow(() -> p.run(runner, new EventHandlers(new Redactor()), new UndoStack()));
    }
}
