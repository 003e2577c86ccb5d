package dev.jxen.install;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files that make one machine distinct from another. They are removed from every base tree,
 * so that no two guests share them and no cache entry holds them; the identity stage writes new ones.
 */
public final class IdentityFiles {
    /** Paths relative to the root, for tar's --exclude and for the scrub. */
    public static final List<String> EXCLUDES = List.of(
            "./etc/ssh/ssh_host_*", "./var/lib/dbus/machine-id", "./var/lib/systemd/random-seed",
            "./var/cache/apt/archives/*.deb", "./lost+found");

    private IdentityFiles() {
    }

    public static void scrub(Path root) throws IOException {
        Path ssh = root.resolve("etc/ssh");
        if (Files.isDirectory(ssh)) {
            try (DirectoryStream<Path> keys = Files.newDirectoryStream(ssh, "ssh_host_*")) {
                for (Path k : keys) {
                    Files.delete(k);
                }
            }
        }
        Path machineId = root.resolve("etc/machine-id");
        if (Files.exists(machineId)) {
            Files.writeString(machineId, ""); // empty: "not yet set", systemd's convention for images
        }
        Path dbus = root.resolve("var/lib/dbus/machine-id");
        if (Files.isRegularFile(dbus, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(dbus);
        }
        Files.deleteIfExists(root.resolve("var/lib/systemd/random-seed"));
        Path archives = root.resolve("var/cache/apt/archives");
        if (Files.isDirectory(archives)) {
            try (DirectoryStream<Path> debs = Files.newDirectoryStream(archives, "*.deb")) {
                for (Path d : debs) {
                    Files.delete(d);
                }
            }
        }
        // debootstrap copies the dom0's own name and resolver into the tree
        Files.deleteIfExists(root.resolve("etc/hostname"));
    }
}
