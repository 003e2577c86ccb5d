package dev.jxen.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What xen-tools' Debian hooks give every guest, on a real create: a dom0 set to Europe/Berlin with
 * German and US English locales (its /etc given to jxen as JXEN_DOM0_ETC), and a configuration
 * directory with a skel/ directory. The guest has the skel files with their modes, the dom0's time
 * zone, its locales generated and LANG set, and no getty on tty1.
 */
@Tag("root")
@Tag("mirror")
class GuestSettingsIT {
    @TempDir
    static Path tmp;
    static Jxen jxen;

    @BeforeAll
    static void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
        Path etc = Files.createDirectories(tmp.resolve("dom0-etc"));
        Files.createSymbolicLink(etc.resolve("localtime"), Path.of("/usr/share/zoneinfo/Europe/Berlin"));
        Files.writeString(etc.resolve("timezone"), "Europe/Berlin\n");
        Files.writeString(etc.resolve("locale.gen"), "# the dom0's\nde_DE.UTF-8 UTF-8\nen_US.UTF-8 UTF-8\n# fr_FR.UTF-8 UTF-8\n");
        Files.createDirectories(etc.resolve("default"));
        Files.writeString(etc.resolve("default/locale"), "LANG=de_DE.UTF-8\n");
        jxen.env("JXEN_DOM0_ETC", etc.toString());
        Path skel = Files.createDirectories(jxen.config.resolve("skel"));
        Files.createDirectories(skel.resolve("etc"));
        Files.writeString(skel.resolve("etc/motd"), "This guest belongs to the site.\n");
        Path ssh = Files.createDirectories(skel.resolve("root/.ssh"));
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(ssh.resolve("config"), "Host *\n  ServerAliveInterval 30\n");
        Files.setPosixFilePermissions(ssh.resolve("config"), PosixFilePermissions.fromString("rw-------"));
        Path tool = Files.createDirectories(skel.resolve("usr/local/bin")).resolve("site-tool");
        Files.writeString(tool, "#!/bin/sh\necho site\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-x---"));
    }

    @Test
    void aGuestHasTheSkelFilesTheDom0sTimeZoneAndLocalesAndTheXenConsoleOnly() throws Exception {
        Jxen.Result r = jxen.create("s1");
        assertEquals(0, r.exit(), r.all());
        String log = Files.readString(jxen.log("s1"));
        assertTrue(log.contains("locale-gen"), log);
        try (GuestImage g = GuestImage.mount(jxen.image("s1", "disk"), tmp.resolve("mnt-s1"))) {
            assertEquals("This guest belongs to the site.\n", g.read("etc/motd"));
            assertEquals("rw-------", mode(g.root.resolve("root/.ssh/config")));
            assertEquals("rwx------", mode(g.root.resolve("root/.ssh")));
            assertEquals("rwxr-x---", mode(g.root.resolve("usr/local/bin/site-tool")));
            assertEquals("rwxr-xr-x", mode(g.root.resolve("usr/local/bin")), "the guest's own directory keeps its mode");

            assertEquals(Path.of("/usr/share/zoneinfo/Europe/Berlin"), Files.readSymbolicLink(g.root.resolve("etc/localtime")));
            assertTrue(Files.isRegularFile(g.root.resolve("usr/share/zoneinfo/Europe/Berlin")), "the link leads to the guest's own tzdata");
            if (Files.exists(g.root.resolve("etc/timezone"))) {
                assertEquals("Europe/Berlin\n", g.read("etc/timezone"));
            }
            assertEquals("# the dom0's\nde_DE.UTF-8 UTF-8\nen_US.UTF-8 UTF-8\n# fr_FR.UTF-8 UTF-8\n", g.read("etc/locale.gen"));
            assertEquals("LANG=de_DE.UTF-8\n", g.read("etc/default/locale"));
            List<String> locales = inGuest(g, "locale", "-a");
            assertTrue(locales.contains("de_DE.utf8") && locales.contains("en_US.utf8"), locales.toString());
            assertFalse(locales.contains("fr_FR.utf8"), locales.toString());
            assertEquals(List.of("Europe/Berlin"), inGuest(g, "sh", "-c", "readlink /etc/localtime | sed 's,.*zoneinfo/,,'"));

            assertFalse(Files.exists(g.root.resolve("etc/systemd/system/getty.target.wants/getty@tty1.service"), LinkOption.NOFOLLOW_LINKS),
                    "a getty on tty1, which no PV or PVH guest shows");
            assertTrue(Files.exists(g.root.resolve("lib/systemd/system/hwclock.service"), LinkOption.NOFOLLOW_LINKS)
                    && Files.readSymbolicLink(g.root.resolve("lib/systemd/system/hwclock.service")).toString().equals("/dev/null"),
                    "systemd ships hwclock.service masked, which leaves the clock to Xen as xen-tools' 15-disable-hwclock does");
        }
        Leftovers.assertNothingMounted(jxen);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static List<String> inGuest(GuestImage g, String... command) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("chroot", g.root.toString()));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, p.waitFor(), out.toString());
        return out;
    }
}
