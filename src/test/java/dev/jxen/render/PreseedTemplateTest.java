package dev.jxen.render;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Debian Installer's answers for a guest, from the same spec as every other create. */
class PreseedTemplateTest {
    private static final String HASH = "$6$saltsalt$hashhashhash";

    @TempDir
    Path tmp;

    private String preseed(String... settings) throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, settings);
        return new Templates(TestSpecs.sources(tmp).templateDirs()).render("preseed.cfg.ftl", PreseedModel.of(spec, "/dev/xvda", HASH, "true"));
    }

    private static List<String> answers(String preseed) {
        return preseed.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    @Test
    void aStaticGuestIsAnsweredWithItsAddressNameAndMirror() throws Exception {
        String p = preseed("hostname=web1.example.org", "ip=192.0.2.10", "netmask=255.255.255.0", "gateway=192.0.2.1", "nameserver=192.0.2.53",
                "dir=" + tmp.resolve("store"));
        List<String> a = answers(p);
        assertTrue(a.contains("d-i netcfg/disable_autoconfig boolean true"), p);
        assertTrue(a.contains("d-i netcfg/get_ipaddress string 192.0.2.10"), p);
        assertTrue(a.contains("d-i netcfg/get_netmask string 255.255.255.0"), p);
        assertTrue(a.contains("d-i netcfg/get_gateway string 192.0.2.1"), p);
        assertTrue(a.contains("d-i netcfg/get_nameservers string 192.0.2.53"), p);
        assertTrue(a.contains("d-i netcfg/get_hostname string web1") && a.contains("d-i netcfg/get_domain string example.org"), p);
        assertTrue(a.contains("d-i mirror/http/hostname string mirror.example") && a.contains("d-i mirror/http/directory string /debian"), p);
        assertTrue(a.contains("d-i mirror/suite string bookworm"), p);
        assertTrue(a.contains("d-i passwd/root-password-crypted password " + HASH), p);
        assertFalse(p.contains("root-password password") || p.contains("root-password-again"), "the password only as a hash: " + p);
        assertTrue(a.contains("d-i grub-installer/bootdev string /dev/xvda"), p);
        for (String line : a) {
            assertTrue(line.matches("^(d-i|tasksel|popularity-contest) \\S+ \\S+( .*)?$"), "an answer per line: " + line);
        }
    }

    @Test
    void aDhcpGuestLetsTheInstallerAsk() throws Exception {
        String p = preseed("hostname=web2", "dhcp", "dir=" + tmp.resolve("store"));
        List<String> a = answers(p);
        assertTrue(a.contains("d-i netcfg/disable_autoconfig boolean false"), p);
        assertFalse(p.contains("get_ipaddress"), p);
        assertTrue(a.contains("d-i netcfg/get_hostname string web2"), p);
    }

    @Test
    void thePartitionsOfTheLayoutAreTheRecipeInOrder() throws Exception {
        String p = preseed("hostname=db1", "dhcp", "dir=" + tmp.resolve("store"), "size=4G", "swap=512M");
        String recipe = answers(p).stream().filter(l -> l.startsWith("d-i partman-auto/expert_recipe string ")).findFirst().orElseThrow();
        assertEquals("d-i partman-auto/expert_recipe string jxen :: 512 512 512 linux-swap $primary{ } method{ swap } format{ } . "
                + "4096 4096 -1 ext4 $primary{ } $bootable{ } method{ format } format{ } use_filesystem{ } filesystem{ ext4 } mountpoint{ / } .", recipe);
        Path layout = Files.createDirectories(tmp.resolve("layouts")).resolve("three.conf");
        Files.writeString(layout, "[root]\nsize=3G\ntype=ext4\nmountpoint=/\noptions=defaults\n\n[swap]\nsize=256M\ntype=swap\n\n"
                + "[home]\nsize=2G\ntype=xfs\nmountpoint=/home\noptions=defaults\n");
        String three = preseed("hostname=db2", "dhcp", "dir=" + tmp.resolve("store"), "partitions=" + layout);
        String r3 = answers(three).stream().filter(l -> l.startsWith("d-i partman-auto/expert_recipe string ")).findFirst().orElseThrow();
        assertTrue(r3.contains("3072 3072 -1 ext4 $primary{ } $bootable{ }") && r3.contains("256 256 256 linux-swap")
                && r3.contains("2048 2048 2048 xfs $primary{ } method{ format } format{ } use_filesystem{ } filesystem{ xfs } mountpoint{ /home }"), r3);
        assertTrue(r3.indexOf("linux-swap") < r3.indexOf("ext4") && r3.indexOf("ext4") < r3.indexOf("xfs"),
                "in the order of the disks of the other install methods (swap first, then the layout's): " + r3);
    }

    @Test
    void aValueWithALineBreakIsRefused() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=web3", "dhcp", "dir=" + tmp.resolve("store"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PreseedModel.of(spec, "/dev/xvda", HASH, "true\nd-i passwd/root-login boolean true"));
        assertTrue(e.getMessage().contains("late_command holds a line break"), e.getMessage());
    }
}
