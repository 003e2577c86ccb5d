package dev.jxen.contact;

import dev.jxen.customize.HostKey;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.customize.HostIdentity;
import dev.jxen.error.InvalidInputException;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.RecordingCommandRunner;
import dev.jxen.xen.XlCreateStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --wait-ssh against an SSH server in this process holding the guest's key or another, and
 * --known-hosts on a file with lines of an earlier guest and of another host; and what the two
 * options refuse.
 */
class ContactStagesTest {
    @TempDir
    Path tmp;
    private SshTestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String run(String... argv) throws Exception {
        return SshTestServer.run(argv);
    }

    private Path key(String name) throws Exception {
        return SshTestServer.key(tmp, name);
    }

    private int serve(Path hostKey) throws Exception {
        server = new SshTestServer(hostKey);
        return server.port();
    }

    private HostIdentity identity(Path key) throws Exception {
        return new HostIdentity("0", List.of(), List.of(Files.readString(Path.of(key + ".pub")).strip()));
    }

    private SshReadyStage.Ready waitFor(ImageSpec spec, int port, HostIdentity id) {
        Pipeline.Builder p = Pipeline.builder(false, null);
        StageResult<HostIdentity> identity = p.add(TestStages.giving("identity", id));
        StageResult<XlCreateStage.Started> started = p.add(TestStages.giving("boot", new XlCreateStage.Started("7", Instant.now())));
        StageResult<SshReadyStage.Ready> ready = p.add(new SshReadyStage(spec, "127.0.0.1", port, identity, started));
        return p.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack()).get(ready);
    }

    @Test
    void theGuestsOwnKeyIsReadyAndAnotherKeyFailsLoudly() throws Exception {
        Path made = key("made");
        int port = serve(made);
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=web1", "dir=/srv/xen", "ip=192.0.2.10", "boot", "wait-ssh=20");
        SshReadyStage.Ready ready = waitFor(spec, port, identity(made));
        assertTrue(ready.seconds() >= 0 && ready.seconds() < 20, String.valueOf(ready.seconds()));
        assertTrue(ready.key().startsWith("ecdsa-sha2-nistp256 SHA256:"), ready.key());

        Path other = key("other");
        StageFailedException e = assertThrows(StageFailedException.class, () -> waitFor(spec, port, identity(other)));
        String fp = run("ssh-keygen", "-l", "-f", made + ".pub").split(" ")[1];
        assertTrue(e.getMessage().contains("host key jxen did not make for web1") && e.getMessage().contains(fp)
                && e.getMessage().contains("man-in-the-middle"), e.getMessage());
        assertTrue(e.hint().contains("the guest is started and stays"), e.hint());
    }

    @Test
    void noAnswerWithinTheTimeFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=web1", "dir=/srv/xen", "ip=192.0.2.10", "boot", "wait-ssh=2");
        Path made = key("made");
        StageFailedException e = assertThrows(StageFailedException.class, () -> waitFor(spec, port, identity(made)));
        assertTrue(e.getMessage().contains("no SSH with the guest's host key on 127.0.0.1:" + port + " within 2 s"), e.getMessage());
    }

    @Test
    void knownHostsReplacesAnEarlierGuestsLinesAndAFailedCreatePutsTheFileBack() throws Exception {
        Path file = tmp.resolve("known_hosts");
        List<String> before = List.of("other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
                KnownHosts.lines("192.0.2.10", HostKey.parseAll(List.of(Files.readString(Path.of(key("earlier") + ".pub")))), new SecureRandom()).get(0));
        Files.write(file, before);
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=web1", "dir=/srv/xen", "ip=192.0.2.10", "known-hosts=" + file);
        HostIdentity id = identity(key("made"));

        Pipeline.Builder failing = Pipeline.builder(false, null);
        StageResult<HostIdentity> r1 = failing.add(TestStages.giving("identity", id));
        failing.add(new KnownHostsStage(spec, "192.0.2.10", r1, tmp.resolve("locks")));
        failing.add(TestStages.failing());
        assertThrows(StageFailedException.class, () -> failing.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack()));
        assertEquals(before, Files.readAllLines(file), "a failed create left its lines");

        Pipeline.Builder p = Pipeline.builder(false, null);
        StageResult<HostIdentity> r2 = p.add(TestStages.giving("identity", id));
        p.add(new KnownHostsStage(spec, "192.0.2.10", r2, tmp.resolve("locks")));
        p.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack());
        List<String> after = Files.readAllLines(file);
        assertEquals(2, after.size(), after.toString());
        assertEquals(before.get(0), after.get(0), "another host's line stays");
        assertFalse(after.contains(before.get(1)), "the earlier guest's line goes");
        String found = run("ssh-keygen", "-F", "192.0.2.10", "-f", file.toString());
        assertTrue(found.contains(Files.readString(tmp.resolve("made.pub")).split(" ")[1]), "ssh-keygen -F finds the guest's key: " + found);
    }

    @Test
    void theOptionsAreRefusedWhereTheyCannotWork() throws Exception {
        InvalidInputException noBoot = assertThrows(InvalidInputException.class,
                () -> TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "ip=192.0.2.10", "wait-ssh"));
        assertTrue(noBoot.getMessage().contains("add --boot"), noBoot.getMessage());
        InvalidInputException dhcp = assertThrows(InvalidInputException.class,
                () -> TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "dhcp", "boot", "wait-ssh", "known-hosts=" + tmp.resolve("kh")));
        assertTrue(dhcp.getMessage().contains("wait-ssh") && dhcp.getMessage().contains("known-hosts") && dhcp.getMessage().contains("give --ip"),
                dhcp.getMessage());
        InvalidInputException bad = assertThrows(InvalidInputException.class,
                () -> TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "ip=192.0.2.10", "boot", "wait-ssh=soon"));
        assertTrue(bad.getMessage().contains("from 1 to 86400"), bad.getMessage());
        assertEquals(300, TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "ip=192.0.2.10", "boot", "wait-ssh").domain().after().waitSsh().toSeconds());
        assertNull(TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "ip=192.0.2.10").domain().after().waitSsh());
    }
}
