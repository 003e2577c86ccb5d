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
        return mount(image, at, "loop,ro");
    }

    /** Mounted read-write, for a test that plays the guest's owner and plants files in it. */
    public static GuestImage mountWritable(Path image, Path at) throws Exception {
        return mount(image, at, "loop");
    }

    private static GuestImage mount(Path image, Path at, String options) throws Exception {
        Files.createDirectories(at);
        Process p = new ProcessBuilder("mount", "-o", options, image.toString(), at.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError("mount -o " + options + " " + image + " failed: " + out);
        }
        return new GuestImage(at.toRealPath());
    }

    public String read(String rel) throws Exception {
        return Files.readString(root.resolve(rel));
    }

    @Override
    public void close() throws Exception {
        new ProcessBuilder("umount", root.toString()).inheritIO().start().waitFor();
    }
}
