package dev.jxen.mirror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway archive signing key for tests: made by gpg in a scratch home, exported as a keyring
 * gpgv reads (as Debian's archive keyring is), and used to clear-sign Release files as a mirror's
 * InRelease is signed. {@link #close} stops the gpg-agent gpg started for that home.
 */
public final class TestArchiveKey implements AutoCloseable {
    private final Path home;
    private final Path keyring;

    private TestArchiveKey(Path home, Path keyring) {
        this.home = home;
        this.keyring = keyring;
    }

    /** A new ed25519 signing key under {@code dir}, its public key exported to {@code dir/keyring.gpg}. */
    public static TestArchiveKey make(Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        TestArchiveKey key = new TestArchiveKey(home, dir.resolve("keyring.gpg"));
        key.gpg(null, "--quick-gen-key", "jxen test archive <archive@example.invalid>", "ed25519", "sign", "1d");
        Files.write(key.keyring, key.gpg(null, "--export"));
        return key;
    }

    /** The exported public key, as a keyring for gpgv. */
    public Path keyring() {
        return keyring;
    }

    /** {@code text} clear-signed: an InRelease. */
    public String clearsign(String text) throws Exception {
        return new String(gpg(text.getBytes(StandardCharsets.UTF_8), "--clearsign"), StandardCharsets.UTF_8);
    }

    private byte[] gpg(byte[] stdin, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("gpg", "--batch", "--quiet", "--homedir", home.toString(),
                "--pinentry-mode", "loopback", "--passphrase", ""));
        argv.addAll(List.of(args));
        Path err = Files.createTempFile(home, "gpg-", ".err");
        Process p = new ProcessBuilder(argv).redirectError(err.toFile()).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(argv + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException(argv + " failed: " + Files.readString(err));
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        Process p = new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
    }
}
