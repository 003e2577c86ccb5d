package dev.jxen.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** A guest's image mounted read-only on the host, for reading its files. */
public final class GuestImage implements AutoCloseable {
    public final Path root;

    private GuestImage(Path root) {
        this.root = root;
    }

    public static GuestImage mount(Path image, Path at) throws Exception {
        Files.createDirectories(at);
        Process p = new ProcessBuilder("mount", "-o", "loop,ro", image.toString(), at.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError("mount -o loop,ro " + image + " failed: " + out);
        }
        return new GuestImage(at);
    }

    public String read(String rel) throws Exception {
        return Files.readString(root.resolve(rel));
    }

    @Override
    public void close() throws Exception {
        new ProcessBuilder("umount", root.toString()).inheritIO().start().waitFor();
    }
}
