package dev.jxen.e2e;

import dev.jxen.customize.HostKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd, a child of the test, listening on one loopback address (127.0.0.2, 127.0.0.3,
 * ...) with a host key of its own: one "dom0" that Ansible reaches over SSH as root with the
 * test's key. Its known_hosts line lets the client check the host key instead of trusting it.
 */
final class LoopbackSshd implements AutoCloseable {
    private static final Path PRIVSEP = Path.of("/run/sshd");

    final String address;
    final int port;
    private final Path hostKey;
    private final Process process;
    private final boolean madePrivsep;

    private LoopbackSshd(String address, int port, Path hostKey, Process process, boolean madePrivsep) {
        this.address = address;
        this.port = port;
        this.hostKey = hostKey;
        this.process = process;
        this.madePrivsep = madePrivsep;
    }

    /** A key pair made with ssh-keygen, for a client or a host. */
    static Path keyPair(Path file) throws Exception {
        sh(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "jxen-test", "-f", file.toString()));
        return file;
    }

    static LoopbackSshd start(String address, Path dir, Path authorizedKeys) throws Exception {
        Files.createDirectories(dir);
        Path hostKey = keyPair(dir.resolve("ssh_host_ed25519_key"));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            port = probe.getLocalPort();
        }
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "ListenAddress " + address + ":" + port,
                "HostKey " + hostKey,
                "PidFile none",
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "AuthorizedKeysFile " + authorizedKeys,
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "Subsystem sftp internal-sftp",
                "LogLevel VERBOSE", ""));
        boolean madePrivsep = !Files.isDirectory(PRIVSEP);
        if (madePrivsep) {
            Files.createDirectories(PRIVSEP);
        }
        sh(List.of("/usr/sbin/sshd", "-t", "-f", config.toString()));
        Process p = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        LoopbackSshd sshd = new LoopbackSshd(address, port, hostKey, p, madePrivsep);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 500);
                return sshd;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    sshd.close();
                    throw new AssertionError("sshd on " + address + ":" + port + " did not start: " + Files.readString(dir.resolve("sshd.log")), e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** The line of a known_hosts file for this server, as ssh writes it for a non-default port. */
    String knownHostsLine() throws IOException {
        String[] pub = Files.readString(Path.of(hostKey + ".pub")).strip().split(" ");
        return "[" + address + "]:" + port + " " + pub[0] + " " + pub[1];
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (madePrivsep) {
            Files.deleteIfExists(PRIVSEP);
        }
    }

    private static void sh(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
