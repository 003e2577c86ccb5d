package dev.jxen.contact;

import dev.jxen.customize.HostKey;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.server.SshServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** An SSH server in the test's process on 127.0.0.1, holding a host key made with ssh-keygen; nobody can log in. */
final class SshTestServer implements AutoCloseable {
    private final SshServer server;

    SshTestServer(Path hostKey) throws Exception {
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new FileKeyPairProvider(hostKey));
        server.setPasswordAuthenticator((user, password, session) -> false);
        server.setPublickeyAuthenticator((user, key, session) -> false);
        server.start();
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws Exception {
        server.stop(true);
    }

    /** Runs a program; its output, standard error included. */
    static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    /** A new ECDSA key pair in {@code dir}: NAME and NAME.pub. */
    static Path key(Path dir, String name) throws Exception {
        Path k = dir.resolve(name);
        run("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", name, "-f", k.toString());
        return k;
    }

    static List<HostKey> pub(Path key) throws Exception {
        return HostKey.parseAll(List.of(Files.readString(Path.of(key + ".pub"))));
    }
}
