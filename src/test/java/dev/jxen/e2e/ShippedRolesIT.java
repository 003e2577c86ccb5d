package dev.jxen.e2e;

import dev.jxen.cli.InProcess;
import org.junit.jupiter.api.BeforeAll;
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
 * jxen's own roles (roles/: tmpfs, editor, sudoers, udev, resolv, minimal) in real creates of bookworm
 * guests from the shared base cache, found after --roledir (the scratch configuration has no role.d),
 * and on an untrusted guest (jxen-update-image: bubblewrap), where they also refuse bad arguments.
 */
@Tag("root")
@Tag("mirror")
class ShippedRolesIT {
    private static final String SUDOERS = "root ALL=(ALL:ALL) ALL\n# jxen role test\n";
    @TempDir
    static Path tmp;
    static Jxen jxen;
    static Path sedDir;
    static Path sudoers;
    static final Shared<Jxen.Result> FILES = new Shared<>(() -> jxen.create("jr-files", "--role", "tmpfs,editor,sudoers,udev,resolv",
            "--role-args", "nameserver=192.0.2.53 nameserver=2001:db8::53 search=example.org sed.d=" + sedDir + " sudoers=" + sudoers));

    @BeforeAll
    static void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
        sedDir = Files.createDirectories(tmp.resolve("sed.d/etc/ssh")).getParent().getParent();
        Files.writeString(sedDir.resolve("etc/ssh/sshd_config.sed"), "s/^#PermitRootLogin prohibit-password$/PermitRootLogin no/\n");
        Files.writeString(sedDir.resolve("etc/no-such-file.sed"), "s/a/b/\n");
        sudoers = Files.writeString(tmp.resolve("sudoers.guest"), SUDOERS);
        Files.setPosixFilePermissions(sudoers, PosixFilePermissions.fromString("r--r-----"));
    }

    private static GuestImage mountedFiles() throws Exception {
        Jxen.Result r = FILES.get();
        assertEquals(0, r.exit(), r.all());
        return GuestImage.mount(jxen.image("jr-files", "disk"), tmp.resolve("mnt-" + System.nanoTime()));
    }

    private static long tmpLines(String fstab) {
        return fstab.lines().filter(l -> l.matches("tmpfs\\s+/tmp\\s+tmpfs\\s+rw,nosuid,nodev\\s+0\\s+0")).count();
    }

    @Test
    void jxensRolesAreFoundAfterTheRoleDirectory() throws Exception {
        assertEquals(0, FILES.get().exit(), FILES.get().all());
        String log = Files.readString(jxen.log("jr-files"));
        for (String r : List.of("tmpfs", "editor", "sudoers", "udev", "resolv")) {
            assertTrue(log.contains(" -- " + InProcess.home().resolve("roles").resolve(r) + " "), r + " did not run from jxen's roles/");
        }
    }

    @Test
    void tmpfsMountsTmpOnlyAndResolvWritesTheNameservers() throws Exception {
        try (GuestImage g = mountedFiles()) {
            String fstab = g.read("etc/fstab");
            assertEquals(1, tmpLines(fstab), fstab);
            assertFalse(fstab.contains("/var/run") || fstab.contains("/var/lock"), "a tmpfs over /run's links: " + fstab);
            assertEquals("# written by jxen's resolv role\nsearch example.org\nnameserver 192.0.2.53\nnameserver 2001:db8::53\n",
                    g.read("etc/resolv.conf"));
        }
    }

    @Test
    void editorEditsTheGuestsFilesInsideIt() throws Exception {
        try (GuestImage g = mountedFiles()) {
            String sshd = g.read("etc/ssh/sshd_config");
            assertTrue(sshd.contains("\nPermitRootLogin no\n"), sshd);
            assertTrue(g.read("etc/ssh/sshd_config~").contains("\n#PermitRootLogin prohibit-password\n"), "no backup as xen-tools keeps it");
            assertFalse(Files.exists(g.root.resolve("etc/no-such-file")), "a script for a file the guest lacks made it");
        }
    }

    @Test
    void sudoersAndUdevInstallTheirPackages() throws Exception {
        try (GuestImage g = mountedFiles()) {
            Set<String> installed = DpkgStatus.installed(g.root);
            assertTrue(installed.contains("sudo") && installed.contains("udev"), installed.toString());
            Path s = g.root.resolve("etc/sudoers");
            assertEquals(SUDOERS, Files.readString(s));
            assertEquals("r--r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(s)));
            assertEquals(0, (int) Files.getAttribute(s, "unix:uid"));
            assertFalse(Files.exists(g.root.resolve("usr/sbin/policy-rc.d")), "policy-rc.d left in the guest");
        }
        assertTrue(Files.readString(jxen.log("jr-files")).matches("(?s).*role udev: udev: udev \\S+ is installed.*"));
    }

    @Test
    void minimalInstallsBusyboxSyslogAndNviAndPurgesTheRest() throws Exception {
        Jxen.Result r = jxen.create("jr-min", "--role", "minimal");
        assertEquals(0, r.exit(), r.all());
        String log = Files.readString(jxen.log("jr-min"));
        List<String> purged = List.of("nano", "vim-tiny", "vim-common", "logrotate", "tasksel", "tasksel-data", "whiptail", "debconf-i18n");
        try (GuestImage g = GuestImage.mount(jxen.image("jr-min", "disk"), tmp.resolve("mnt-min"))) {
            Set<String> installed = DpkgStatus.installed(g.root);
            assertTrue(installed.contains("busybox-syslogd") && installed.contains("nvi"), installed.toString());
            for (String p : purged) {
                assertFalse(installed.contains(p), p + " is still installed");
                assertTrue(log.contains("role minimal: Purging configuration files for " + p + " ") || log.contains("role minimal: Removing " + p + " "),
                        p + " was not in the base, so the role did not remove it");
            }
            assertTrue(Files.exists(g.root.resolve("usr/bin/apt-get")) && installed.contains("openssh-server"), "minimal removed too much");
        }
    }

    private static Jxen.Result update(String host, String roles, String args) throws Exception {
        List<String> a = new ArrayList<>(List.of("--config-dir", jxen.config.toString(), "--output", jxen.output.toString(),
                "--log", jxen.log(host + "-update").toString(), "--no-upgrade", "--role", roles, "--role-args", args, host));
        return jxen.run("jxen-update-image", a);
    }

    @Test
    void onAnUntrustedGuestTheyWriteInsideTheGuestAndRefuseBadArguments() throws Exception {
        Jxen.Result made = jxen.create("jr-jail", "--role", "tmpfs");
        assertEquals(0, made.exit(), made.all());
        String before;
        try (GuestImage g = GuestImage.mount(jxen.image("jr-jail", "disk"), tmp.resolve("mnt-jail0"))) {
            before = g.read("etc/resolv.conf");
        }
        Jxen.Result bad = update("jr-jail", "resolv", "nameserver=192.0.2.1;reboot");
        assertEquals(4, bad.exit(), bad.all());
        assertTrue(bad.all().contains("resolv: '192.0.2.1;reboot' is not an IPv4 or IPv6 address (nameserver=)"), bad.all());
        Path broken = Files.writeString(tmp.resolve("sudoers.broken"), "root ALL=(ALL:ALL\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("r--r-----"));
        Jxen.Result badSudoers = update("jr-jail", "sudoers", "sudoers=" + broken);
        assertEquals(4, badSudoers.exit(), badSudoers.all());
        assertTrue(badSudoers.all().contains("is not a valid sudoers file for the guest's sudo"), badSudoers.all());

        Jxen.Result r = update("jr-jail", "tmpfs,editor,sudoers,resolv", "sed.d=" + sedDir + " sudoers=" + sudoers + " nameserver=192.0.2.54");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("its files are untrusted"), r.out());
        String log = Files.readString(jxen.log("jr-jail-update"));
        assertTrue(log.contains("--ro-bind " + sedDir + " " + sedDir) && log.contains("--ro-bind " + sudoers + " " + sudoers),
                "the files the role arguments name were not bound into the sandbox");
        try (GuestImage g = GuestImage.mount(jxen.image("jr-jail", "disk"), tmp.resolve("mnt-jail"))) {
            assertEquals(1, tmpLines(g.read("etc/fstab")), "tmpfs run twice added /tmp twice: " + g.read("etc/fstab"));
            assertTrue(g.read("etc/ssh/sshd_config").contains("\nPermitRootLogin no\n"));
            assertEquals(SUDOERS, g.read("etc/sudoers"));
            assertTrue(DpkgStatus.installed(g.root).contains("sudo"));
            assertEquals("# written by jxen's resolv role\nnameserver 192.0.2.54\n", g.read("etc/resolv.conf"));
            assertFalse(before.contains("192.0.2.54"), before);
        }
    }
}
