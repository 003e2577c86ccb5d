package dev.jxen.config;

import dev.jxen.cli.InProcess;
import dev.jxen.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings that exclude each other: the higher layer's choice stands, whatever the lower one set. */
class LayerPrecedenceTest {
    @TempDir
    Path tmp;

    private ImageSpec spec(String conf, String... cli) throws Exception {
        Path dir = InProcess.scratchConfigDir(tmp.resolve("c" + System.nanoTime()));
        Files.writeString(dir.resolve("xen-tools.conf"), "dir = /srv/xen\ndist = bookworm\nmirror = http://mirror.example/debian\n" + conf);
        CommandLineLayer layer = new CommandLineLayer().add("hostname", List.of("h1"));
        for (String c : cli) {
            String[] kv = c.split("=", 2);
            layer.add(kv[0], kv.length == 2 ? List.of(kv[1]) : List.of());
        }
        ConfigSources sources = new ConfigSources(dir, InProcess.home());
        return new ImageSpecBuilder(ConfigLoader.load(sources, layer.build()), sources, ConfigLayersTest.NO_DOM0).build();
    }

    @Test
    void aTypedPygrubBeatsAConfiguredKernelAndTheGuestGetsAKernelPackage() throws Exception {
        Path kernel = Files.writeString(tmp.resolve("vmlinuz-6.1.0-x"), "k");
        ImageSpec s = spec("dhcp = 1\nkernel = " + kernel + "\ninitrd = /nonexistent/initrd.img\n", "pygrub");
        assertTrue(s.domain().pygrub());
        assertNull(s.domain().kernel(), "the configured kernel is not used");
        assertNull(s.domain().initrd(), "nor its initrd, which is not even looked for");
        assertTrue(s.install().extraPackages().stream().anyMatch(p -> p.startsWith("linux-image-")), s.install().extraPackages().toString());
    }

    @Test
    void aTypedKernelBeatsAConfiguredPygrub() throws Exception {
        Path kernel = Files.writeString(tmp.resolve("vmlinuz-6.1.0-x"), "k");
        ImageSpec s = spec("dhcp = 1\npygrub = 1\n", "kernel=" + kernel);
        assertFalse(s.domain().pygrub());
        assertEquals(kernel.toString(), s.domain().kernel());
        assertFalse(s.install().extraPackages().stream().anyMatch(p -> p.startsWith("linux-image-")));
    }

    @Test
    void bothInOneLayerIsAChoiceTheUserMustMake() throws Exception {
        Path kernel = Files.writeString(tmp.resolve("vmlinuz-6.1.0-x"), "k");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> spec("dhcp = 1\n", "pygrub", "kernel=" + kernel));
        assertTrue(e.getMessage().contains("choose one way to boot the guest"), e.getMessage());
    }

    @Test
    void aTypedIpBeatsConfiguredDhcpAndTheOtherWayRound() throws Exception {
        assertFalse(spec("dhcp = 1\npygrub = 1\n", "ip=192.0.2.10").network().dhcp());
        assertTrue(spec("ip = 192.0.2.10\npygrub = 1\n", "dhcp").network().dhcp());
    }

    @Test
    void debugInAConfigFileMeansVerbose() throws Exception {
        assertTrue(spec("dhcp = 1\npygrub = 1\ndebug = 1\n").run().verbose());
        assertFalse(spec("dhcp = 1\npygrub = 1\n").run().verbose());
    }

    @Test
    void debootstrapOnlySettingsAreWarnedAboutWithAnotherMethod() throws Exception {
        ImageSpec s = spec("dhcp = 1\npygrub = 1\nmemory = 512M\ncachedir = /var/cache/x\n", "install-method=mmdebstrap", "debootstrap-cmd=/usr/sbin/debootstrap");
        assertEquals(2, s.warnings().size(), s.warnings().toString());
        assertTrue(s.warnings().get(0).contains("--debootstrap-cmd") && s.warnings().get(0).contains("not used with --install-method=mmdebstrap"),
                s.warnings().toString());
        assertTrue(s.warnings().get(1).contains("cachedir"), s.warnings().toString());
        assertEquals(List.of(), spec("dhcp = 1\npygrub = 1\nmemory = 512M\ncachedir = /var/cache/x\n").warnings());
    }
}
