package dev.jxen.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every role of the installed xen-tools 4.9.2 package, read from its /etc/xen-tools/role.d and run
 * unchanged through jxen's role contract by real creates (--role NAME --roledir /etc/xen-tools/role.d)
 * of bookworm guests cloned from the shared base cache; then what each role did, read from the guest.
 * Roles that do not conflict share a guest: tmpfs, editor, sudoers, udev, cfengine, puppet, builder and
 * resolv one; gdm and xdm another; minimal (which removes packages) its own. Where a role asks for what
 * Debian 12 no longer has, the test name says so, and the test checks that this part did nothing.
 */
@Tag("root")
@Tag("mirror")
class XenToolsRolesIT {
    private static final Path ROLE_D = Path.of("/etc/xen-tools/role.d");
    private static final Path SED_D = Path.of("/etc/xen-tools/sed.d");
    @TempDir
    static Path tmp;
    static Jxen jxen;
    static String editTarget;
    static Path sedScript;
    static final List<Path> madeDirs = new ArrayList<>();
    static final Shared<Jxen.Result> FILES = new Shared<>(() -> jxen.create("xt-files",
            "--role", "tmpfs,editor,sudoers,udev,cfengine,puppet,builder,resolv", "--roledir", ROLE_D.toString()));
    static final Shared<Jxen.Result> X = new Shared<>(() -> jxen.create("xt-x", "--role", "gdm,xdm", "--roledir", ROLE_D.toString()));
    static final Shared<Jxen.Result> MINIMAL = new Shared<>(() -> jxen.create("xt-min", "--role", "minimal", "--roledir", ROLE_D.toString()));

    @BeforeAll
    static void setUp() throws Exception {
        Jxen.assumeRoot();
        Process q = new ProcessBuilder("dpkg-query", "-W", "-f", "${Version}", "xen-tools").start();
        String version = new String(q.getInputStream().readAllBytes()).strip();
        assertTrue(q.waitFor() == 0 && version.startsWith("4.9.2"), "xen-tools 4.9.2 is not installed (" + version + "): tests/install-deps test installs it");
        for (String r : List.of("builder", "cfengine", "editor", "gdm", "minimal", "puppet", "resolv", "sudoers", "tmpfs", "udev", "xdm")) {
            assertTrue(Files.isExecutable(ROLE_D.resolve(r)), "xen-tools' role " + r + " is not in " + ROLE_D);
        }
        jxen = new Jxen(tmp);
        // the editor role reads /etc/xen-tools/sed.d, as xen-tools hard-codes it: one script of the test's own,
        // for a file that a local hook puts into the guest, and nothing else of that directory is touched
        editTarget = "etc/jxen-editor-" + Long.toHexString(System.nanoTime());
        Path dir = SED_D.resolve("etc");
        for (Path d : List.of(SED_D, dir)) {
            if (!Files.exists(d)) {
                madeDirs.add(0, Files.createDirectory(d));
            }
        }
        sedScript = Files.writeString(SED_D.resolve(editTarget + ".sed"), "s/before/after/\n");
        Path hook = Files.createDirectories(jxen.config.resolve("hooks.d")).resolve("97-editor-target");
        Files.writeString(hook, "#!/bin/sh\n. \"$JXEN_HOOK_LIB\"\necho 'edited before' | guest_write \"$1\" /" + editTarget + " 0644\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void removeTheSedScript() throws Exception {
        if (sedScript != null) {
            Files.deleteIfExists(sedScript);
        }
        for (Path d : madeDirs) {
            Files.deleteIfExists(d);
        }
    }

    private static GuestImage mounted(Shared<Jxen.Result> guest, String host) throws Exception {
        Jxen.Result r = guest.get();
        assertEquals(0, r.exit(), r.all());
        return GuestImage.mount(jxen.image(host, "disk"), tmp.resolve("mnt-" + host + "-" + System.nanoTime()));
    }

    private static String log(String host) throws Exception {
        return Files.readString(jxen.log(host));
    }

    private static void assertInstalled(Set<String> installed, String... packages) {
        for (String p : packages) {
            assertTrue(installed.contains(p), p + " is not installed in the guest");
        }
    }

    private static void assertNotInstalled(Set<String> installed, String... packages) {
        for (String p : packages) {
            assertFalse(installed.contains(p), p + " is installed in the guest");
        }
    }

    @Test
    @DisplayName("tmpfs: appends /tmp, /var/run and /var/lock tmpfs lines to the guest's fstab")
    void tmpfs() throws Exception {
        try (GuestImage g = mounted(FILES, "xt-files")) {
            String fstab = g.read("etc/fstab");
            assertTrue(fstab.startsWith("# /etc/fstab: written by jxen"), fstab);
            for (String mp : List.of("/tmp", "/var/run", "/var/lock")) {
                assertTrue(fstab.matches("(?s).*\\ntmpfs\\s+" + mp + "\\s+tmpfs\\s+rw,nosuid,nodev.*"), mp + ": " + fstab);
            }
        }
    }

    @Test
    @DisplayName("editor: applies /etc/xen-tools/sed.d/FILE.sed to the guest's FILE, keeping FILE~")
    void editor() throws Exception {
        try (GuestImage g = mounted(FILES, "xt-files")) {
            assertEquals("edited after\n", g.read(editTarget));
            assertEquals("edited before\n", g.read(editTarget + "~"));
        }
    }

    @Test
    @DisplayName("sudoers: installs sudo and copies the dom0's /etc/sudoers (where the dom0 has one), mode 0440")
    void sudoers() throws Exception {
        try (GuestImage g = mounted(FILES, "xt-files")) {
            assertInstalled(DpkgStatus.installed(g.root), "sudo");
            Path guest = g.root.resolve("etc/sudoers");
            assertEquals("r--r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(guest)));
            if (Files.exists(Path.of("/etc/sudoers"))) {
                assertEquals(Files.readString(Path.of("/etc/sudoers")), Files.readString(guest), "the guest's sudoers is not the dom0's");
            } else {
                assertTrue(log("xt-files").contains("role sudoers: cp: cannot stat '/etc/sudoers'"), "this dom0 has no sudoers to copy");
            }
        }
    }

    @Test
    @DisplayName("udev: installs udev (jxen's base has it already, so apt finds nothing to do)")
    void udev() throws Exception {
        try (GuestImage g = mounted(FILES, "xt-files")) {
            assertInstalled(DpkgStatus.installed(g.root), "udev");
            assertTrue(log("xt-files").contains("role udev: udev is already the newest version"), "the udev role did not run apt");
        }
    }

    @Test
    @DisplayName("cfengine: does nothing on Debian 12 (cfengine2 has no candidate; the dom0 has no /etc/cfengine to copy)")
    void cfengine() throws Exception {
        try (GuestImage g = mounted(FILES, "xt-files")) {
            assertNotInstalled(DpkgStatus.installed(g.root), "cfengine2", "cfengine3");
            assertFalse(Files.exists(g.root.resolve("etc/cfengine")));
            assertFalse(Files.exists(g.root.resolve("etc/default/cfengine2")));
            assertTrue(log("xt-files").contains("role cfengine: E: Package 'cfengine2' has no installation candidate"), "the cfengine role did not run");
        }
    }

    @Test
    @DisplayName("puppet: installs the puppet agent, stopped (it is not run, as that would contact a puppet server)")
    void puppet() throws Exception {
        try (GuestImage g = mounted(FILES, "xt-files")) {
            assertInstalled(DpkgStatus.installed(g.root), "puppet", "puppet-agent", "facter");
            assertFalse(Files.exists(g.root.resolve("usr/sbin/policy-rc.d")), "policy-rc.d left in the guest");
            assertFalse(Files.exists(g.root.resolve("usr/sbin/start-stop-daemon.REAL")), "common.sh's start-stop-daemon stub left in the guest");
            assertTrue(Files.size(g.root.resolve("usr/sbin/start-stop-daemon")) > 10_000, "start-stop-daemon is common.sh's stub");
        }
    }

    @Test
    @DisplayName("builder: installs dpkg-dev, devscripts, fakeroot, debhelper, build-essential, lintian (linda is gone from Debian)")
    void builder() throws Exception {
        try (GuestImage g = mounted(FILES, "xt-files")) {
            Set<String> installed = DpkgStatus.installed(g.root);
            assertInstalled(installed, "dpkg-dev", "devscripts", "fakeroot", "debhelper", "build-essential", "lintian", "gcc", "make");
            assertNotInstalled(installed, "linda");
        }
    }

    @Test
    @DisplayName("resolv: writes /etc/resolv.conf.old, which xen-tools 4.9.2 never renames (its roles run after the resolv.conf restore)")
    void resolv() throws Exception {
        try (GuestImage g = mounted(FILES, "xt-files")) {
            assertEquals("nameserver 192.168.1.1\n#search domain.tld\n", g.read("etc/resolv.conf.old"));
            assertFalse(g.read("etc/resolv.conf").contains("192.168.1.1"), "the guest's resolv.conf was changed");
        }
    }

    @Test
    @DisplayName("gdm: installs the X fonts and icewm; no gdm (xserver-xfree86, vncserver, rxvt and gdm have no candidate on Debian 12)")
    void gdm() throws Exception {
        try (GuestImage g = mounted(X, "xt-x")) {
            Set<String> installed = DpkgStatus.installed(g.root);
            assertInstalled(installed, "xfonts-100dpi", "xfonts-75dpi", "xfonts-base", "icewm-experimental");
            assertNotInstalled(installed, "gdm", "gdm3", "rxvt");
            assertFalse(Files.exists(g.root.resolve("etc/gdm/gdm.conf")), "a gdm.conf without gdm");
            assertTrue(log("xt-x").contains("role gdm: E: Package 'gdm' has no installation candidate"), "the gdm role did not ask for gdm");
        }
    }

    @Test
    @DisplayName("xdm: installs xdm and sets its Xservers to Xvnc (the VNC server itself has no candidate on Debian 12)")
    void xdm() throws Exception {
        try (GuestImage g = mounted(X, "xt-x")) {
            assertInstalled(DpkgStatus.installed(g.root), "xdm", "xfonts-base", "icewm-experimental");
            assertEquals(":0 /usr/bin/Xvnc /usr/bin/Xvnc -geometry 1024x768 -depth 24\n", g.read("etc/X11/xdm/Xservers"));
            assertFalse(Files.exists(g.root.resolve("usr/bin/Xvnc")), "a VNC server came from somewhere");
        }
    }

    @Test
    @DisplayName("minimal: installs busybox-syslogd and nvi, purges the editors, logrotate, tasksel, whiptail (its aptitude steps fail: no aptitude)")
    void minimal() throws Exception {
        try (GuestImage g = mounted(MINIMAL, "xt-min")) {
            Set<String> installed = DpkgStatus.installed(g.root);
            assertInstalled(installed, "busybox-syslogd", "nvi");
            List<String> removed = List.of("nano", "vim-tiny", "vim-common", "logrotate", "tasksel", "tasksel-data", "whiptail", "debconf-i18n");
            assertNotInstalled(installed, removed.toArray(String[]::new));
            String log = log("xt-min");
            for (String p : removed) {
                assertTrue(log.contains("role minimal: Removing " + p + " "), p + " was not in the base, so the role did not remove it");
            }
            assertTrue(log.contains("role minimal: chroot: failed to run command ‘aptitude’"), "aptitude ran");
        }
    }

    @Test
    @DisplayName("xen-tools' sudoers and tmpfs on an untrusted guest: in bubblewrap, apt reaching the mirror through jxen (the dom0's sudoers is not in reach)")
    void onAnUntrustedGuest() throws Exception {
        Jxen.Result made = jxen.create("xt-jail");
        assertEquals(0, made.exit(), made.all());
        Jxen.Result r = jxen.run("jxen-update-image", List.of("--config-dir", jxen.config.toString(), "--output", jxen.output.toString(),
                "--log", jxen.log("xt-jail-update").toString(), "--no-upgrade",
                "--role", ROLE_D.resolve("sudoers") + "," + ROLE_D.resolve("tmpfs"), "xt-jail"));
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("its files are untrusted"), r.out());
        assertTrue(r.out().matches("(?s).*the guest's sandbox fetched \\d+ files .* through jxen.*"), r.out());
        assertTrue(Files.readString(jxen.log("xt-jail-update")).contains("role sudoers: cp: cannot stat '/etc/sudoers'"), "the dom0's sudoers was in reach");
        try (GuestImage g = GuestImage.mount(jxen.image("xt-jail", "disk"), tmp.resolve("mnt-jail"))) {
            assertInstalled(DpkgStatus.installed(g.root), "sudo");
            assertTrue(g.read("etc/fstab").matches("(?s).*\\ntmpfs\\s+/tmp\\s+tmpfs.*"), g.read("etc/fstab"));
            assertFalse(Files.exists(g.root.resolve("usr/sbin/policy-rc.d")), "policy-rc.d left in the guest");
        }
    }
}
