package dev.jxen.install;

import dev.jxen.guest.GuestRoot;

import java.io.IOException;
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

    public static void scrub(GuestRoot root) throws IOException {
        root.deleteMatching("etc/ssh", "ssh_host_*");
        if (root.exists("etc/machine-id")) {
            root.write("etc/machine-id", "", "rw-r--r--"); // empty: "not yet set", systemd's convention for images
        }
        root.delete("var/lib/dbus/machine-id");
        root.delete("var/lib/systemd/random-seed");
        root.deleteMatching("var/cache/apt/archives", "*.deb");
        // debootstrap copies the dom0's own name and resolver into the tree
        root.delete("etc/hostname");
    }
}
