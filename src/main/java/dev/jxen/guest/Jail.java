package dev.jxen.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The files of one run's untrusted-guest sandboxes, in a directory only root can enter under jxen's
 * work directory: the two seccomp filters, the socket of the mirror proxy when the guest may fetch
 * packages, and what bubblewrap says of each sandbox it made (its PID namespace, which
 * {@link dev.jxen.system.SystemUndo.KillSandboxes} ends after a killed run). None of it is visible inside a sandbox; the directory goes when the run ends (or with the
 * undo of a killed one).
 */
public record Jail(Path dir, Path guestFilter, Path hookFilter, java.util.concurrent.atomic.AtomicInteger sandboxes) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static Jail open(Path work) throws IOException {
        Files.createDirectories(work);
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        Path dir = Files.createDirectory(work.resolve(".jail-" + HexFormat.of().formatHex(b)),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path guest = Files.write(dir.resolve("guest.bpf"), SyscallFilter.forGuestPrograms().program());
        Path hook = Files.write(dir.resolve("hook.bpf"), SyscallFilter.forHooks().program());
        return new Jail(dir, guest, hook, new java.util.concurrent.atomic.AtomicInteger());
    }

    /** Where the next sandbox's bubblewrap writes its process 1 and namespaces ({@code sandbox-N.json}). */
    public Path nextInfo() {
        return dir.resolve("sandbox-" + sandboxes.incrementAndGet() + ".json");
    }

    /** Where the mirror proxy listens for this run's sandboxes. */
    public Path channel() {
        return dir.resolve("mirror.sock");
    }
}
