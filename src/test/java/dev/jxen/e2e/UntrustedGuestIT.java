package dev.jxen.e2e;

import dev.jxen.customize.ShaCrypt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacks of a guest's owner on the dom0, through jxen: links and an fstab planted in a real
 * guest's disks before jxen-update-image, copy and tar sources with links out of the tree, and the
 * root password on a command line. After each, no file of the dom0 victims tree and no mount of the
 * dom0 has changed, and jxen either refused with a clear message or finished safely.
 */
@Tag("root")
@Tag("mirror")
class UntrustedGuestIT {
    private static final String HOST = "evil1";
    @TempDir
    static Path tmp;
    static Jxen jxen;
    static DomZeroVictims victims;

    @BeforeAll
    static void createTheGuest() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
        Path layout = Files.writeString(tmp.resolve("layout"), "[root]\nsize=1800M\ntype=ext4\nmountpoint=/\n\n"
                + "[swap]\nsize=128M\ntype=swap\n\n[home]\nsize=160M\ntype=ext4\nmountpoint=/home\n");
        Jxen.Result r = jxen.create(HOST, "--partitions", layout.toString());
        assertEquals(0, r.exit(), r.all());
        victims = new DomZeroVictims(tmp.resolve("victims"));
    }

    @BeforeEach
    void freshSnapshot() throws Exception {
        victims.snapshot();
    }

    /** Plays the guest's owner: changes files on its root disk while the guest is stopped. */
    private static void asTheGuestOwner(Change change) throws Exception {
        try (GuestImage g = GuestImage.mountWritable(jxen.image(HOST, "root"), tmp.resolve("owner"))) {
            change.apply(g.root);
        }
    }

    @FunctionalInterface
    interface Change {
        void apply(Path root) throws Exception;
    }

    private static Jxen.Result update(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--config-dir", jxen.config.toString(), "--output", jxen.output.toString(), "--no-upgrade"));
        args.addAll(List.of(more));
        args.add(HOST);
        return jxen.run("jxen-update-image", args);
    }

    private static void link(Path at, Path target) throws Exception {
        Files.createDirectories(at.getParent());
        if (Files.isDirectory(at, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.walk(at)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } else {
            Files.deleteIfExists(at);
        }
        Files.createSymbolicLink(at, target);
    }

    @Test
    void anFstabMountpointLeadingOutOfTheGuestIsRefused() throws Exception {
        String escape = "/../../../.." + victims.dir.resolve("empty");
        asTheGuestOwner(root -> {
            Path fstab = root.resolve("etc/fstab");
            Files.writeString(fstab, Files.readString(fstab).replaceAll("\\s/home\\s", " " + escape + " "));
        });
        try {
            Jxen.Result r = update("--hooks");
            assertEquals(4, r.exit(), r.all());
            assertTrue(r.all().contains("mountpoint '" + escape + "' must not hold '.' or '..' components"), r.all());
            victims.assertUnchanged("after an fstab line with '..'");
        } finally {
            asTheGuestOwner(root -> {
                Path fstab = root.resolve("etc/fstab");
                Files.writeString(fstab, Files.readString(fstab).replace(" " + escape + " ", " /home "));
            });
        }
    }

    @Test
    void aHomeLinkedToADom0DirectoryIsMountedInsideTheGuest() throws Exception {
        asTheGuestOwner(root -> link(root.resolve("home"), victims.dir.resolve("empty")));
        try {
            Jxen.Result r = update("--hooks");
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.out().contains("its files are untrusted"), r.out());
            victims.assertUnchanged("after a guest /home linked to a dom0 directory");
            asTheGuestOwner(root -> assertTrue(Files.isDirectory(root.resolve(victims.dir.resolve("empty").toString().substring(1))),
                    "the home partition was mounted where the link leads inside the guest"));
        } finally {
            asTheGuestOwner(root -> {
                Files.delete(root.resolve("home"));
                Files.createDirectory(root.resolve("home"));
            });
        }
    }

    @Test
    void procSysAndDevLinkedToTheDom0AreRefused() throws Exception {
        try {
            asTheGuestOwner(root -> {
                link(root.resolve("proc"), victims.dir.resolve("empty"));
                link(root.resolve("sys"), victims.dir.resolve("cron.d"));
                link(root.resolve("dev"), victims.dir.resolve("root-ssh"));
            });
            Jxen.Result r = update("--hooks");
            assertEquals(4, r.exit(), r.all());
            assertTrue(r.err().contains("guest path /proc: is a link to " + victims.dir.resolve("empty")), r.err());
            victims.assertUnchanged("after proc, sys and dev linked to the dom0");
        } finally {
            asTheGuestOwner(root -> {
                for (String d : List.of("proc", "sys", "dev")) {
                    Files.deleteIfExists(root.resolve(d));
                    Files.createDirectories(root.resolve(d));
                }
            });
        }
    }

    @Test
    void aPolicyRcDLinkedToTheDom0IsSetAsideAndPutBack() throws Exception {
        try {
            asTheGuestOwner(root -> link(root.resolve("usr/sbin/policy-rc.d"), victims.dir.resolve("policy-rc.d")));
            Jxen.Result r = update("--hooks");
            assertEquals(0, r.exit(), r.all());
            victims.assertUnchanged("after a dangling policy-rc.d link to the dom0");
            asTheGuestOwner(root -> assertEquals(victims.dir.resolve("policy-rc.d"), Files.readSymbolicLink(root.resolve("usr/sbin/policy-rc.d")),
                    "the guest's own policy-rc.d was not put back"));
        } finally {
            asTheGuestOwner(root -> Files.deleteIfExists(root.resolve("usr/sbin/policy-rc.d")));
        }
    }

    @Test
    void theShippedHooksFollowNoGuestLinkIntoTheDom0() throws Exception {
        asTheGuestOwner(root -> {
            link(root.resolve("var/log/dpkg.log"), victims.dir.resolve("shadow"));
            link(root.resolve("var/cache/apt/archives"), victims.dir.resolve("debs"));
            link(root.resolve("boot/grub/grub.cfg"), victims.dir.resolve("grub.cfg"));
            link(root.resolve("etc/apt/sources.list"), victims.dir.resolve("shadow"));
        });
        try {
            Jxen.Result r = update("--hooks");
            assertEquals(0, r.exit(), r.all());
            victims.assertUnchanged("after the shipped hooks ran on a guest with links to dom0 files");
            asTheGuestOwner(root -> {
                Path sources = root.resolve("etc/apt/sources.list");
                assertTrue(Files.isSymbolicLink(sources) || Files.readString(sources).startsWith("# written by jxen"),
                        "sources.list is neither the guest's own link nor jxen's file");
                assertTrue(Files.readString(root.resolve("boot/grub/grub.cfg")).contains("written by jxen for pygrub"), r.all());
            });
        } finally {
            asTheGuestOwner(root -> {
                Files.deleteIfExists(root.resolve("etc/apt/sources.list"));
                Files.writeString(root.resolve("etc/apt/sources.list"), "# restored by the test\n");
                Files.deleteIfExists(root.resolve("var/cache/apt/archives"));
                Files.createDirectories(root.resolve("var/cache/apt/archives/partial"));
                Files.deleteIfExists(root.resolve("var/log/dpkg.log"));
                Files.writeString(root.resolve("var/log/dpkg.log"), "");
            });
        }
    }

    @Test
    void aNaiveLocalHookOrARoleFindsNoDom0FileThroughAGuestLink() throws Exception {
        Path hook = Files.createDirectories(jxen.config.resolve("hooks.d")).resolve("95-naive");
        Files.writeString(hook, "#!/bin/sh\necho owned > \"$1/var/log/dpkg.log\"\n");
        asTheGuestOwner(root -> link(root.resolve("var/log/dpkg.log"), victims.dir.resolve("shadow")));
        victims.snapshot();
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            Jxen.Result r = update("--hooks");
            assertEquals(4, r.exit(), r.all());
            assertTrue(r.all().contains("var/log/dpkg.log: Directory nonexistent"), "the link's dom0 target is not in the hook's sandbox: " + r.all());
            victims.assertUnchanged("after a naive hook wrote through a guest link");
        } finally {
            Files.delete(hook);
        }
        Path key = tmp.resolve("admin.pub");
        Files.writeString(key, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAdminKeyForTheTestOnly admin@dom0\n");
        asTheGuestOwner(root -> link(root.resolve("root/.ssh"), victims.dir.resolve("root-ssh")));
        try {
            Jxen.Result role = update("--role", "authorized-keys", "--role-args", key.toString());
            victims.assertUnchanged("after the authorized-keys role on a guest whose /root/.ssh links to the dom0 (exit " + role.exit() + ")");
        } finally {
            asTheGuestOwner(root -> {
                Files.deleteIfExists(root.resolve("root/.ssh"));
                Files.deleteIfExists(root.resolve("var/log/dpkg.log"));
                Files.writeString(root.resolve("var/log/dpkg.log"), "");
            });
        }
    }

    private static Path treeWithLinksOut(String name) throws Exception {
        Path tree = Files.createDirectories(tmp.resolve(name));
        for (String d : List.of("etc", "root", "usr/sbin", "var/lib")) {
            Files.createDirectories(tree.resolve(d));
        }
        Files.writeString(tree.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(tree.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.createSymbolicLink(tree.resolve("etc/ssh"), victims.dir.resolve("root-ssh"));
        Files.createSymbolicLink(tree.resolve("root/.ssh"), victims.dir.resolve("root-ssh"));
        Files.createSymbolicLink(tree.resolve("etc/network"), victims.dir.resolve("cron.d"));
        Files.createSymbolicLink(tree.resolve("etc/machine-id"), victims.dir.resolve("machine-id"));
        return tree;
    }

    @Test
    void copyAndTarSourcesWithLinksOutOfTheTreeAreRefusedWithTheList() throws Exception {
        Path tree = treeWithLinksOut("copy-src");
        Jxen.Result copy = jxen.create("cp1", "--install-method", "copy", "--install-source", tree.toString(), "--nopygrub",
                "--kernel", Files.writeString(tmp.resolve("vmlinuz"), "k").toString());
        assertEquals(4, copy.exit(), copy.all());
        for (String l : List.of("/etc/ssh -> ", "/root/.ssh -> ", "/etc/network -> ", "/etc/machine-id -> ")) {
            assertTrue(copy.err().contains(l), l + " is not listed: " + copy.err());
        }
        victims.assertUnchanged("after a copy source with links out of the tree");
        Leftovers.assertNone(jxen, "cp1");

        Path tarball = tmp.resolve("src.tar");
        assertEquals(0, new ProcessBuilder("tar", "-cf", tarball.toString(), "-C", tree.toString(), ".").inheritIO().start().waitFor());
        Jxen.Result tar = jxen.create("tp1", "--install-method", "tar", "--install-source", tarball.toString(), "--nopygrub",
                "--kernel", tmp.resolve("vmlinuz").toString());
        assertEquals(4, tar.exit(), tar.all());
        assertTrue(tar.err().contains("/etc/ssh -> "), tar.err());
        victims.assertUnchanged("after a tar source with links out of the tree");
        Leftovers.assertNone(jxen, "tp1");
    }

    @Test
    void aTarballThatWritesThroughItsOwnLinkIsStopped() throws Exception {
        Path build = Files.createDirectories(tmp.resolve("tar-build"));
        Path tarball = tmp.resolve("through.tar");
        Files.createSymbolicLink(build.resolve("etc"), victims.dir.resolve("cron.d"));
        assertEquals(0, new ProcessBuilder("tar", "-cf", tarball.toString(), "-C", build.toString(), "etc").inheritIO().start().waitFor());
        Files.delete(build.resolve("etc"));
        Files.createDirectories(build.resolve("etc"));
        Files.writeString(build.resolve("etc/passwd"), "pwned\n");
        assertEquals(0, new ProcessBuilder("tar", "-rf", tarball.toString(), "-C", build.toString(), "etc/passwd").inheritIO().start().waitFor());
        Jxen.Result r = jxen.create("tp2", "--install-method", "tar", "--install-source", tarball.toString(), "--nopygrub",
                "--kernel", Files.writeString(tmp.resolve("vmlinuz2"), "k").toString());
        assertEquals(4, r.exit(), r.all());
        victims.assertUnchanged("after a tarball that writes through its own link");
        Leftovers.assertNone(jxen, "tp2");
    }

    @Test
    void aPasswordFromStandardInputIsNeverOnACommandLine() throws Exception {
        String secret = "Stdin-" + Long.toHexString(System.nanoTime()) + "-pw";
        Process p = jxen.start("jxen-create-image", jxen.createArgs("pw2", "--password-from", "-"));
        try (OutputStream in = p.getOutputStream()) {
            in.write((secret + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        while (p.isAlive()) {
            ProcessHandle.of(p.pid()).ifPresent(h -> {
                h.info().commandLine().ifPresent(seen::add);
                h.descendants().forEach(d -> d.info().commandLine().ifPresent(seen::add));
            });
            Thread.sleep(20);
        }
        Jxen.Result r = jxen.result(p);
        assertEquals(0, r.exit(), r.all());
        assertEquals(List.of(), seen.stream().filter(c -> c.contains(secret)).toList(), "a command line held the password");
        assertFalse(r.all().contains(secret));
        try (GuestImage g = GuestImage.mount(jxen.image("pw2", "disk"), tmp.resolve("mnt-pw2"))) {
            String hash = g.read("etc/shadow").lines().filter(l -> l.startsWith("root:")).findFirst().orElseThrow().split(":")[1];
            assertEquals(hash, ShaCrypt.hash(secret, "sha512", hash.split("\\$")[2]));
        }
        Path readable = Files.writeString(tmp.resolve("pw.txt"), secret + "\n");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        Jxen.Result refused = jxen.create("pw3", "--password-from", readable.toString());
        assertEquals(2, refused.exit(), refused.all());
        assertTrue(refused.err().contains("every user can read it"), refused.err());
    }
}
