package dev.jxen.render;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.InvalidInputException;
import dev.jxen.system.LocalCommandRunner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * xen-tools' own xm.tmpl, filled by jxen for a guest, gives the .cfg xen-create-image 4.9.2 wrote for
 * the same options. The expected files were written by the real xen-create-image (the commands are in
 * src/test/resources/xen-tools-4.9.2/templates/xen-create-image/commands; its paths under /tmp/xtn are
 * this test's temporary directory here); the template is the package's /etc/xen-tools/xm.tmpl, kept
 * beside them. Only the line with the date differs: xen-tools prints the time it ran.
 */
class XenToolsTemplateTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) throws Exception {
        return Path.of(XenToolsTemplateTest.class.getResource("/xen-tools-4.9.2/templates/" + name).toURI());
    }

    static void needTextTemplate() {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("/usr/share/perl5/Text/Template.pm")),
                "Perl's Text::Template is not installed (tests/install-deps installs libtext-template-perl)");
    }

    /** The options of each recorded xen-create-image run, as jxen takes them; {@code T} is the temporary directory. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "xt-dhcp   | size=64M memory=128M noswap dhcp dist=bookworm pygrub",
        "xt-static | size=64M swap=32M memory=1G maxmem=2G vcpus=2 ip=192.168.1.50 netmask=255.255.255.0 gateway=192.168.1.1 nohosts "
                + "bridge=xenbr0 vifname=vif-xts dist=bookworm pygrub",
        "xt-kernel | size=64M swap=32M memory=256M dhcp mac=00:16:3e:12:34:56 bridge=xenbr1 dist=bullseye boot-path=dom0-kernel "
                + "kernel=T/boot/vmlinuz-test initrd=T/boot/initrd.img-test",
        "xt-parts  | partitions=T/small-parts memory=512M ip=10.0.0.5 ip=10.0.0.6 netmask=255.255.255.0 gateway=10.0.0.1 nohosts "
                + "dist=bookworm pygrub",
    })
    void xmTmplGivesXenCreateImagesCfg(String host, String options) throws Exception {
        needTextTemplate();
        Files.createDirectories(tmp.resolve("boot"));
        Files.writeString(tmp.resolve("boot/vmlinuz-test"), "kernel");
        Files.writeString(tmp.resolve("boot/initrd.img-test"), "initrd");
        Files.copy(fixture("xen-create-image/small-parts"), tmp.resolve("small-parts"));
        List<String> settings = new ArrayList<>(List.of("hostname=" + host, "dir=" + tmp.resolve("dir"),
                "template=" + fixture("xm.tmpl"), "install=0"));
        Arrays.stream(options.split(" ")).map(o -> o.replace("T/", tmp + "/")).forEach(settings::add);
        ImageSpec spec = TestSpecs.spec(tmp, settings.toArray(String[]::new));

        String jxen = DomUConfigStage.render(TestSpecs.sources(tmp), spec, new LocalCommandRunner());

        String xenTools = Files.readString(fixture("xen-create-image/" + host + ".cfg")).replace("/tmp/xtn/", tmp + "/");
        assertEquals(withoutDate(xenTools), withoutDate(jxen));
    }

    /** xen-tools' header says when it ran: "# by xen-tools 4.9.2 on Mon Dec  7 23:11:11 2026." */
    static String withoutDate(String cfg) {
        return cfg.replaceAll("(xen-tools 4\\.9\\.2) on [^\\n]*\\.", "$1 on DATE.");
    }

    /** xen-create-image hashed "xt-parts10.0.0.5,10.0.0.6bookworm" for the MAC of xt-parts (every address, not the first). */
    @Test
    void theMacOfAGuestWithTwoAddressesIsXenToolsOne() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=xt-parts", "dir=" + tmp, "ip=10.0.0.5", "ip=10.0.0.6", "netmask=255.255.255.0", "nohosts");
        assertEquals("00:16:3E:A0:BF:46", spec.network().mac().text());
    }

    @Test
    void aTemplateThatDropsADiskIsRefusedNamingIt() throws Exception {
        needTextTemplate();
        Path t = tmp.resolve("nodisk.tmpl");
        Files.writeString(t, Files.readString(fixture("xm.tmpl")).replace("$PARTITIONS[$i]{'mountpoint'} ne '/'", "0"));
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=g1", "dir=" + tmp.resolve("dir"), "template=" + t, "install=0", "pygrub",
                "size=64M", "swap=32M", "dhcp");
        var e = assertThrows(InvalidInputException.class, () -> DomUConfigStage.render(TestSpecs.sources(tmp), spec, new LocalCommandRunner()));
        assertTrue(e.getMessage().contains("leaves out the disk " + tmp.resolve("dir/domains/g1/swap.img") + " (swap, xvda1)"), e.getMessage());
    }

    @Test
    void aTemplateThatRenamesADiskOrTheGuestIsRefused() throws Exception {
        needTextTemplate();
        Path t = tmp.resolve("renamed.tmpl");
        Files.writeString(t, Files.readString(fixture("xm.tmpl")).replace("$device\" . ( $i + 1 )", "$device\" . ( $i + 5 )")
                .replace("name        = '{$hostname}'", "name        = 'other'"));
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=g1", "dir=" + tmp.resolve("dir"), "template=" + t, "install=0", "pygrub",
                "size=64M", "noswap", "dhcp");
        var e = assertThrows(InvalidInputException.class, () -> DomUConfigStage.render(TestSpecs.sources(tmp), spec, new LocalCommandRunner()));
        assertTrue(e.getMessage().contains("puts the disk " + tmp.resolve("dir/domains/g1/disk.img") + " on xvda5, where the guest's fstab has xvda1"),
                e.getMessage());
        assertTrue(e.getMessage().contains("names the guest 'other', not g1"), e.getMessage());
    }

    @Test
    void aBrokenTemplateIsRefusedWithPerlsMessage() throws Exception {
        needTextTemplate();
        Path t = tmp.resolve("broken.tmpl");
        Files.writeString(t, "name = '{$hostname}'\n{ $x = ; }\n");
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=g1", "dir=" + tmp.resolve("dir"), "template=" + t, "install=0", "pygrub");
        var e = assertThrows(InvalidInputException.class, () -> DomUConfigStage.render(TestSpecs.sources(tmp), spec, new LocalCommandRunner()));
        assertTrue(e.getMessage().contains("the block from line 2: syntax error"), e.getMessage());
    }

    @Test
    void aTemplateOthersCanWriteIsNotRun() throws Exception {
        Path t = tmp.resolve("open.tmpl");
        Files.writeString(t, "{ die 'ran' }\n");
        Files.setPosixFilePermissions(t, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=g1", "dir=" + tmp.resolve("dir"), "template=" + t, "install=0", "pygrub");
        var e = assertThrows(InvalidInputException.class, () -> DomUConfigStage.render(TestSpecs.sources(tmp), spec, new LocalCommandRunner()));
        assertTrue(e.getMessage().contains("cannot be used") && !e.getMessage().contains("ran"), e.getMessage());
    }

    @Test
    void theRuleIsTheSuffix() {
        assertTrue(XenToolsTemplate.isTextTemplate("/etc/xen-tools/xm.tmpl"));
        assertTrue(XenToolsTemplate.isTextTemplate("/etc/xen-tools/site-template"));
        assertTrue(!XenToolsTemplate.isTextTemplate("/etc/xen-tools/templates/xl.cfg.ftl"));
    }

    /** Where xen-tools is installed, the fixtures are its package's templates. */
    @Test
    void fixturesAreThePackagesTemplates() throws Exception {
        for (String name : List.of("xm.tmpl", "xm-nfs.tmpl")) {
            Path installed = Path.of("/etc/xen-tools", name);
            Assumptions.assumeTrue(Files.isRegularFile(Path.of("/usr/bin/xen-create-image")), "xen-tools is not installed");
            assertEquals(Files.readString(installed), Files.readString(fixture(name)), name);
        }
    }
}
