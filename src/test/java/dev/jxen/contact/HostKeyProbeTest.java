package dev.jxen.contact;

import dev.jxen.customize.HostKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First contact against a real SSH server in this process (Apache MINA sshd) that holds a host key
 * the test made with ssh-keygen: the key jxen expects is accepted, any other is reported as such
 * with its fingerprint, and the known_hosts lines written for it satisfy OpenSSH's own client.
 */
class HostKeyProbeTest {
    @TempDir
    Path tmp;
    private SshTestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private Path key(String name) throws Exception {
        return SshTestServer.key(tmp, name);
    }

    private int serve(Path hostKey) throws Exception {
        server = new SshTestServer(hostKey);
        return server.port();
    }

    private static List<HostKey> pub(Path key) throws Exception {
        return SshTestServer.pub(key);
    }

    private static String run(String... argv) throws Exception {
        return SshTestServer.run(argv);
    }

    @Test
    void theKeyJxenMadeIsAcceptedAndAnyOtherIsReportedWithItsFingerprint() throws Exception {
        Path made = key("made");
        Path other = key("other");
        int port = serve(made);
        HostKeyProbe.Answer ok = HostKeyProbe.probe("127.0.0.1", port, pub(made), Duration.ofSeconds(10));
        assertEquals(new HostKeyProbe.Matched(pub(made).get(0)), ok);

        HostKeyProbe.Answer wrong = HostKeyProbe.probe("127.0.0.1", port, pub(other), Duration.ofSeconds(10));
        HostKeyProbe.Mismatch m = assertInstanceOf(HostKeyProbe.Mismatch.class, wrong);
        assertEquals("ecdsa-sha2-nistp256", m.type());
        assertTrue(run("ssh-keygen", "-l", "-f", made + ".pub").contains(m.fingerprint()), "the fingerprint of the key the server holds: " + m);
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertInstanceOf(HostKeyProbe.Unreachable.class, HostKeyProbe.probe("127.0.0.1", port, pub(key("k")), Duration.ofSeconds(5)));
    }

    @Test
    void knownHostsLinesAreHashedAndSatisfyOpenSsh() throws Exception {
        Path made = key("made");
        int port = serve(made);
        String name = KnownHosts.hostName("127.0.0.1", port);
        assertEquals("[127.0.0.1]:" + port, name);
        List<String> lines = KnownHosts.lines(name, pub(made), new SecureRandom());
        assertTrue(lines.get(0).startsWith("|1|") && !lines.get(0).contains("127.0.0.1"), lines.get(0));
        assertTrue(KnownHosts.names(lines.get(0), name));
        assertFalse(KnownHosts.names(lines.get(0), "[127.0.0.1]:" + (port + 1)));
        assertTrue(KnownHosts.names("127.0.0.1,web1 ssh-ed25519 AAAA", "127.0.0.1"));
        Path file = Files.write(tmp.resolve("known_hosts"), lines);
        assertTrue(run("ssh-keygen", "-F", name, "-f", file.toString()).contains("found: line 1"), "ssh-keygen -F finds the host");
        String ssh = run("ssh", "-o", "UserKnownHostsFile=" + file, "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-p", String.valueOf(port), "nobody@127.0.0.1", "true");
        assertTrue(ssh.contains("Permission denied") && !ssh.contains("Host key verification failed"),
                "ssh accepted the host key and went on to log in: " + ssh);
        Path foreign = Files.write(tmp.resolve("known_hosts_other"), KnownHosts.lines(name, pub(key("other")), new SecureRandom()));
        String refused = run("ssh", "-o", "UserKnownHostsFile=" + foreign, "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-p", String.valueOf(port), "nobody@127.0.0.1", "true");
        assertTrue(refused.contains("Host key verification failed") || refused.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), refused);
    }
}
