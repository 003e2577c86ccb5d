package dev.jxen.system;

import dev.jxen.error.HostStateException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A per-guest lock ({@code /run/lock/jxen/HOST.lock}, flock) so that two runs for the same host name
 * cannot overlap. The kernel drops it if the process dies.
 */
public final class HostLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final Path file;

    private HostLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    public static HostLock acquire(Path dir, String hostname) {
        Path file = dir.resolve(hostname + ".lock");
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                throw new HostStateException("another jxen run is working on " + hostname + " (lock " + file + " is held)",
                        "wait for it to finish, or check it with: fuser -v " + file);
            }
            return new HostLock(file, ch, l);
        } catch (IOException e) {
            throw new HostStateException("cannot take the lock " + file + ": " + e.getMessage(), "check that " + dir + " is writable");
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
