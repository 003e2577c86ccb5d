package dev.jxen.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.jxen.cli.InProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every install method for real, from the mirror this machine's apt uses: debootstrap and
 * mmdebstrap (through an apt-cacher-ng the test starts), then tar and copy from what they made.
 * The guests boot a dom0 kernel (a stand-in file here), so no guest kernel is installed and the
 * cold installs stay short.
 */
@Tag("root")
@Tag("mirror")
class InstallMethodsIT {
    @TempDir
    static Path tmp;
    static Jxen jxen;
    static Path kernel;

    @BeforeAll
    static void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
        kernel = Files.writeString(tmp.resolve("vmlinuz-standin"), "stand-in for a dom0 kernel");
    }

    /** d1, installed by debootstrap, and m1, by mmdebstrap through an apt-cacher-ng: read, never changed, by the tests. */
    static final Shared<Jxen.Result> D1 = new Shared<>(() -> jxen.create("d1", kernelless("--install-method", "debootstrap")));

    private record ThroughCache(Jxen.Result result, List<String> requests) {
    }

    static final Shared<ThroughCache> M1 = new Shared<>(() -> {
        try (AptCacherNg acng = AptCacherNg.start(tmp)) {
            int before = acng.requests().size();
            Jxen.Result r = jxen.create("m1", kernelless("--install-method", "mmdebstrap"));
            return new ThroughCache(r, List.copyOf(acng.requests().subList(before, acng.requests().size())));
        }
    });

    /** k1, booted with a dom0 kernel, from the base-tree cache: the update tests change it. */
    static final Shared<Jxen.Result> K1 = new Shared<>(() -> {
        Jxen.Result r = jxen.create("k1", "--nopygrub", "--kernel", kernel.toString());
        assertEquals(0, r.exit(), r.all());
        return r;
    });

    private static String[] kernelless(String... more) {
        String[] base = {"--no-base-cache", "--nopygrub", "--kernel", kernel.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void debootstrapIntoAnImageFile() throws Exception {
        Jxen.Result r = D1.get();
        assertEquals(0, r.exit(), r.all());
        assertTrue(Files.readString(jxen.log("d1")).contains("COMMAND [base install] debootstrap --arch="));
        try (GuestImage g = GuestImage.mount(jxen.image("d1", "disk"), tmp.resolve("mnt-d1"))) {
            assertTrue(g.read("etc/os-release").contains("bookworm"));
            assertTrue(Files.exists(g.root.resolve("usr/sbin/sshd")), "openssh-server is in the base");
            try (var s = Files.list(g.root.resolve("boot"))) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("vmlinuz")), "a guest kernel was installed");
            }
        }
        var cfg = dev.jxen.xen.DomUConfigFile.read(jxen.cfg("d1"));
        assertEquals(kernel.toString(), cfg.values().get("kernel"));
        assertEquals("/dev/xvda2 ro", cfg.values().get("root"));
    }

    @Test
    void mmdebstrapThroughAptCacherNg() throws Exception {
        Jxen.Result r = M1.get().result();
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("fetching through http://127.0.0.1:3142 (apt-cacher-ng on 127.0.0.1:3142)"), r.out());
        List<String> requests = M1.get().requests();
        assertTrue(requests.stream().anyMatch(l -> l.contains("bookworm") && l.contains("InRelease")), "no Release request: " + requests);
        assertTrue(requests.stream().filter(l -> l.contains(".deb")).count() > 50, "too few .deb requests went through apt-cacher-ng: " + requests.size());
        String log = Files.readString(jxen.log("m1"));
        assertTrue(log.contains("running --extract-hook in shell") && log.contains("jxen-mmdebstrap-prefetch start"),
                "the early download did not run: " + log);
        assertFalse(log.contains("the early download ended with status"), log);
        try (GuestImage g = GuestImage.mount(jxen.image("m1", "disk"), tmp.resolve("mnt-m1"))) {
            assertTrue(g.read("etc/os-release").contains("bookworm"));
            assertTrue(Files.exists(g.root.resolve("usr/sbin/sshd")));
            assertEquals(java.util.Set.of(), names(g.root.resolve("tmp")), "the early download left files in /tmp");
            assertEquals(java.util.Set.of("lock", "partial"), names(g.root.resolve("var/cache/apt/archives")), "packages left in apt's cache");
        }
    }

    /** mmdebstrap that fails while jxen's early download runs takes the download down with it. */
    @Test
    void theEarlyDownloadEndsWithMmdebstrap() throws Exception {
        // the dom0's own mirror, whichever release it names (Debian 13's sources name trixie), serves bookworm too
        String mirror = dev.jxen.mirror.MirrorGuess.mirrorFor(dev.jxen.mirror.AptSources.read(Path.of("/etc/apt")), java.util.Set.of("bookworm", "trixie"))
                .orElseThrow().uri();
        Path root = Files.createDirectories(tmp.resolve("prefetch-root"));
        Path prefetch = Path.of("libexec/jxen-mmdebstrap-prefetch").toAbsolutePath();
        // the second extract hook fails half a second after the first started the download in the background
        // at 3 MB/s the early download takes seconds, however fast this machine's mirror answers
        Process mm = new ProcessBuilder("mmdebstrap", "--mode=root", "--variant=important", "--skip=check/empty", "--arch=amd64",
                "--aptopt=Acquire::http::Dl-Limit \"3000\"",
                "--extract-hook='" + prefetch + "' start \"$1\" bookworm amd64", "--extract-hook=sleep 0.5; false",
                "--essential-hook='" + prefetch + "' wait \"$1\"", "--include=openssh-server", "bookworm", root.toString(), mirror)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prefetch-mmdebstrap.log").toFile()).start();
        assertTrue(mm.waitFor(10, java.util.concurrent.TimeUnit.MINUTES), "mmdebstrap did not end");
        assertTrue(mm.exitValue() != 0, "mmdebstrap succeeded despite its failing hook");
        Path status = root.resolve("tmp/.jxen-prefetch.status");
        for (int i = 0; i < 50 && !Files.exists(status); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(status), "the early download did not end with mmdebstrap");
        String log = Files.readString(root.resolve("tmp/.jxen-prefetch.log"));
        assertEquals("143", Files.readString(status).strip(), "the early download was not stopped (SIGTERM): " + log);
        assertFalse(ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine().orElse("").contains(root.toString())),
                "a process of the early download is still running");
    }

    /** The two bootstrappers make the same guest where it matters: packages, sources, fstab, network, keys, package lists. */
    @Test
    void debootstrapAndMmdebstrapGuestsAgree() throws Exception {
        assertEquals(0, D1.get().exit(), D1.get().all());
        assertEquals(0, M1.get().result().exit(), M1.get().result().all());
        try (GuestImage d = GuestImage.mount(jxen.image("d1", "disk"), tmp.resolve("mnt-cmp-d1"));
             GuestImage m = GuestImage.mount(jxen.image("m1", "disk"), tmp.resolve("mnt-cmp-m1"))) {
            java.util.Set<String> dp = packages(d.root);
            java.util.Set<String> mp = packages(m.root);
            java.util.Set<String> onlyD = new java.util.TreeSet<>(dp);
            onlyD.removeAll(mp);
            java.util.Set<String> onlyM = new java.util.TreeSet<>(mp);
            onlyM.removeAll(dp);
            // lsb-base is an empty transitional package in bookworm that debootstrap's resolver picks and apt's does not
            onlyD.remove("lsb-base");
            assertEquals(java.util.Set.of(), onlyD, "only debootstrap installed these");
            assertEquals(java.util.Set.of(), onlyM, "only mmdebstrap installed these");
            for (String f : List.of("etc/apt/sources.list", "etc/fstab", "etc/network/interfaces", "etc/resolv.conf")) {
                String df = Files.exists(d.root.resolve(f)) ? d.read(f).replace("d1", "HOST") : "(none)";
                String mf = Files.exists(m.root.resolve(f)) ? m.read(f).replace("m1", "HOST") : "(none)";
                assertEquals(df, mf, f);
            }
            assertEquals(names(d.root.resolve("etc/apt/sources.list.d")), names(m.root.resolve("etc/apt/sources.list.d")));
            assertEquals(names(d.root.resolve("etc/ssh")), names(m.root.resolve("etc/ssh")), "host keys and ssh configuration");
            assertEquals(names(d.root.resolve("etc/dpkg/dpkg.cfg.d")), names(m.root.resolve("etc/dpkg/dpkg.cfg.d")),
                    "dpkg's configuration: neither bootstrapper leaves a setting of its own there");
            for (GuestImage g : List.of(d, m)) {
                assertTrue(Files.isSymbolicLink(g.root.resolve("bin")), "/usr is merged");
                assertTrue(names(g.root.resolve("var/lib/apt/lists")).stream().anyMatch(n -> n.endsWith("_Packages")),
                        "package lists are there for roles that install packages");
            }
        }
    }

    private static java.util.Set<String> packages(Path root) throws Exception {
        Process p = new ProcessBuilder("dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W", "-f", "${Package}\\n").start();
        java.util.Set<String> out = new java.util.TreeSet<>(List.of(new String(p.getInputStream().readAllBytes()).split("\\n")));
        assertEquals(0, p.waitFor());
        out.remove("");
        assertTrue(out.size() > 100, out.toString());
        return out;
    }

    private static java.util.Set<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return java.util.Set.of();
        }
        try (var st = Files.list(dir)) {
            return st.map(x -> x.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    @Test
    void tarAndCopyFromAnExistingTree() throws Exception {
        assertEquals(0, D1.get().exit(), D1.get().all());
        Path tarball = tmp.resolve("base.tar");
        try (GuestImage g = GuestImage.mount(jxen.image("d1", "disk"), tmp.resolve("mnt-src"))) {
            Process tar = new ProcessBuilder("tar", "--create", "--numeric-owner", "--xattrs", "--file", tarball.toString(),
                    "--directory", g.root.toString(), "--exclude=./lost+found", ".").inheritIO().start();
            assertEquals(0, tar.waitFor());
            Jxen.Result copy = jxen.create("c1", kernelless("--install-method", "copy", "--install-source", g.root.toString()));
            assertEquals(0, copy.exit(), copy.all());
        }
        Jxen.Result fromTar = jxen.create("x1", kernelless("--install-method", "tar", "--install-source", tarball.toString()));
        assertEquals(0, fromTar.exit(), fromTar.all());
        for (String host : List.of("c1", "x1")) {
            try (GuestImage g = GuestImage.mount(jxen.image(host, "disk"), tmp.resolve("mnt-" + host))) {
                assertTrue(g.read("etc/os-release").contains("bookworm"));
                assertEquals(host + "\n", g.read("etc/hostname"));
                String key = g.read("etc/ssh/ssh_host_ed25519_key.pub");
                assertTrue(key.endsWith("root@" + host + "\n"), "the copied tree kept another guest's host key: " + key);
            }
        }
        Leftovers.assertNothingMounted(jxen);
    }

    @Test
    void updateUpgradesAStoppedGuestAndASecondRunChangesNothing() throws Exception {
        K1.get();
        List<String> args = List.of("--config-dir", jxen.config.toString(), "--output", jxen.output.toString(), "k1");
        Jxen.Result first = jxen.run("jxen-update-image", args);
        assertEquals(0, first.exit(), first.all());
        assertTrue(first.out().contains("updated k1"), first.out());
        List<String> volatileDirs = List.of("var/cache/apt", "var/lib/apt/lists", "var/log", "tmp");
        java.util.Map<String, String> afterFirst;
        try (GuestImage g = GuestImage.mount(jxen.image("k1", "disk"), tmp.resolve("mnt-u1"))) {
            afterFirst = FileTree.snapshot(g.root, volatileDirs);
        }
        Jxen.Result second = jxen.run("jxen-update-image", args);
        assertEquals(0, second.exit(), second.all());
        try (GuestImage g = GuestImage.mount(jxen.image("k1", "disk"), tmp.resolve("mnt-u2"))) {
            java.util.Map<String, String> afterSecond = FileTree.snapshot(g.root, volatileDirs);
            java.util.Set<String> changed = new java.util.TreeSet<>();
            afterSecond.forEach((k, v) -> {
                if (!v.equals(afterFirst.get(k))) {
                    changed.add(k);
                }
            });
            afterFirst.keySet().stream().filter(k -> !afterSecond.containsKey(k)).forEach(changed::add);
            assertEquals(java.util.Set.of(), changed, "the second update changed the guest");
            assertTrue(afterSecond.size() > 1000);
        }
        Leftovers.assertNothingMounted(jxen);
    }

    @Test
    void updateRunsARoleOnAStoppedGuest() throws Exception {
        Jxen.Result made = jxen.create("r1");
        assertEquals(0, made.exit(), made.all());
        Jxen.Result r = jxen.run("jxen-update-image", List.of("--config-dir", jxen.config.toString(), "--output", jxen.output.toString(),
                "--no-upgrade", "--role", "packages", "--role-args", "hello", "r1"));
        assertEquals(0, r.exit(), r.all());
        try (GuestImage g = GuestImage.mount(jxen.image("r1", "disk"), tmp.resolve("mnt-u3"))) {
            assertTrue(Files.isExecutable(g.root.resolve("usr/bin/hello")), "the role did not install hello");
        }
        Jxen.Result unknown = jxen.run("jxen-update-image", List.of("--config-dir", jxen.config.toString(), "--output", jxen.output.toString(), "nosuchguest"));
        assertEquals(3, unknown.exit(), unknown.all());
        assertTrue(unknown.err().contains("no such guest"), unknown.err());
        Leftovers.assertNothingMounted(jxen);
    }

    @Test
    void updateHooksSeeTheGuestAsItIsWithADom0KernelOrSeparateVarHomeAndUsr() throws Exception {
        Path layout = Files.writeString(tmp.resolve("split-layout"), "[root]\nsize=1G\ntype=ext4\nmountpoint=/\n\n[usr]\nsize=2G\ntype=ext4\n"
                + "mountpoint=/usr\n\n[var]\nsize=512M\ntype=ext4\nmountpoint=/var\n\n[home]\nsize=64M\ntype=ext4\nmountpoint=/home\n");
        Jxen.Result made = jxen.create("s1", "--partitions", layout.toString(), "--nodhcp", "--ip", "192.0.2.31", "--netmask", "255.255.255.0",
                "--nohosts");
        assertEquals(0, made.exit(), made.all());
        Path conf = InProcess.scratchConfigDir(tmp.resolve("hookconf"));
        Path hook = Files.createDirectories(conf.resolve("hooks.d")).resolve("95-report");
        Files.writeString(hook, "#!/bin/sh\nset -e\n{ echo \"dist=$dist ip1=${ip1:-} dhcp=${dhcp:-} boot=$boot_path type=$type pygrub=${pygrub:-} kernel=${kernel:-}\"; "
                + "for d in usr var home; do if mountpoint -q \"$1/$d\"; then echo \"$d mounted\"; fi; done; } > \"$1/root/hook-report\"\n");
        Files.setPosixFilePermissions(hook, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        K1.get();
        for (String host : List.of("s1", "k1")) {
            Jxen.Result r = jxen.run("jxen-update-image", List.of("--config-dir", conf.toString(), "--output", jxen.output.toString(),
                    "--no-upgrade", "--hooks", host));
            assertEquals(0, r.exit(), host + ": " + r.all());
        }
        try (GuestImage g = GuestImage.mount(jxen.image("s1", "root"), tmp.resolve("mnt-s1"))) {
            String report = g.read("root/hook-report");
            assertTrue(report.contains("dist=bookworm ip1=192.0.2.31 dhcp= boot=pvgrub2 type=pvh pygrub= kernel=\n"),
                    "a static pvgrub2 guest: " + report);
            assertTrue(report.contains("usr mounted") && report.contains("var mounted") && report.contains("home mounted"), report);
            assertTrue(g.read("boot/grub/grub.cfg").contains("root=/dev/xvda1"), "the menu hook wrote the menu for root on xvda1");
        }
        try (GuestImage g = GuestImage.mount(jxen.image("k1", "disk"), tmp.resolve("mnt-k1"))) {
            String report = g.read("root/hook-report");
            assertTrue(report.contains("boot=dom0-kernel type=pv pygrub= kernel=" + kernel), "a guest booted with a dom0 kernel: " + report);
        }
        Leftovers.assertNothingMounted(jxen);
    }
}
