package dev.jxen.render;

import dev.jxen.cli.InProcess;
import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLoader;
import dev.jxen.config.ConfigSources;
import dev.jxen.config.Dom0Facts;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.ImageSpec.BootPath;
import dev.jxen.config.ImageSpec.GuestType;
import dev.jxen.config.ImageSpecBuilder;
import dev.jxen.config.TestDom0;
import dev.jxen.error.InvalidInputException;
import dev.jxen.xen.DomUConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every guest type with every boot path, as the .cfg says it, and the combinations that cannot boot refused before anything is made. */
class BootPathsTest {
    @TempDir
    Path tmp;

    /** A dom0 with or without grub-xen-host, on a Xen that runs PVH, does not, or cannot be asked. */
    private Dom0Facts dom0(boolean grubXen, Optional<Boolean> pvh) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("grub-xen-" + System.nanoTime()));
        if (grubXen) {
            Files.writeString(dir.resolve("grub-x86_64-xen.bin"), "pv");
            Files.writeString(dir.resolve("grub-i386-xen_pvh.bin"), "pvh");
        }
        return new TestDom0(grubXen ? dir : null, pvh);
    }

    private ImageSpec spec(Dom0Facts dom0, String... cli) throws Exception {
        Path config = InProcess.scratchConfigDir(tmp.resolve("c" + System.nanoTime()));
        CommandLineLayer layer = new CommandLineLayer().add("hostname", List.of("g1")).add("dir", List.of("/srv/xen"))
                .add("dist", List.of("trixie")).add("mirror", List.of("http://mirror.example/debian")).add("output", List.of(tmp.toString()));
        for (String c : cli) {
            String[] kv = c.split("=", 2);
            layer.add(kv[0], kv.length == 2 ? List.of(kv[1]) : List.of());
        }
        ConfigSources sources = new ConfigSources(config, InProcess.home());
        return new ImageSpecBuilder(ConfigLoader.load(sources, layer.build()), sources, dom0).build();
    }

    private DomUConfigFile cfg(ImageSpec spec) throws Exception {
        return DomUConfigFile.parse(Path.of("g1.cfg"), DomUConfigStage.render(new ConfigSources(tmp, InProcess.home()), spec));
    }

    @ParameterizedTest
    @CsvSource({
        // what is given            | type | boot path   | kernel in the .cfg      | bootloader
        "'',                          pvh,  pvgrub2,     grub-i386-xen_pvh.bin,    ''",
        "type=pv dist=bookworm,       pv,   pvgrub2,     grub-x86_64-xen.bin,      ''",
        "pygrub,                      pv,   pygrub,      '',                       pygrub",
        "pygrub type=pvh,             pvh,  pygrub,      '',                       pygrub",
        "kernel=K,                    pv,   dom0-kernel, vmlinuz-6.1.0-x,          ''",
        "kernel=K type=pvh,           pvh,  dom0-kernel, vmlinuz-6.1.0-x,          ''",
        "boot-path=pvgrub2 type=pvh,  pvh,  pvgrub2,     grub-i386-xen_pvh.bin,    ''",
    })
    void eachTypeWithEachBootPath(String given, String type, String path, String kernel, String bootloader) throws Exception {
        Path k = Files.writeString(tmp.resolve("vmlinuz-6.1.0-x"), "k");
        String[] args = given.isBlank() ? new String[0] : given.replace("kernel=K", "kernel=" + k).split(" ");
        ImageSpec s = spec(dom0(true, Optional.of(true)), args);
        assertEquals(BootPath.of(path).orElseThrow(), s.domain().start().path());
        assertEquals(type, s.domain().start().type().key());
        DomUConfigFile c = cfg(s);
        assertEquals(type, c.values().get("type"));
        assertEquals(bootloader, c.values().getOrDefault("bootloader", ""));
        assertEquals(kernel, c.values().containsKey("kernel") ? Path.of(c.values().get("kernel")).getFileName().toString() : "");
        assertEquals(path.equals("dom0-kernel"), c.values().containsKey("root"), "root= and extra= go with a dom0 kernel only");
        assertEquals(!path.equals("dom0-kernel"), s.install().extraPackages().stream().anyMatch(p -> p.startsWith("linux-image-")),
                "a guest that boots its own kernel gets one");
    }

    @Test
    void theDom0DecidesWhatNothingSetsAndTheReasonSaysSo() throws Exception {
        ImageSpec pvh = spec(dom0(true, Optional.empty()));
        assertEquals(GuestType.PVH, pvh.domain().start().type());
        assertTrue(pvh.domain().start().why().contains("grub-xen-host") && pvh.domain().start().why().contains("cannot be told"),
                pvh.domain().start().why());
        ImageSpec pv = spec(dom0(true, Optional.of(false)), "dist=bookworm");
        assertEquals(BootPath.PVGRUB2, pv.domain().start().path());
        assertEquals(GuestType.PV, pv.domain().start().type(), "a Xen without hvm gets a PV guest");
        ImageSpec old = spec(dom0(false, Optional.of(true)));
        assertEquals(BootPath.PYGRUB, old.domain().start().path(), "without grub-xen-host, as today");
        assertEquals(GuestType.PV, old.domain().start().type());
        assertNull(old.domain().start().pvgrub2());
    }

    @Test
    void whatCannotBootIsRefused() throws Exception {
        InvalidInputException noPvh = assertThrows(InvalidInputException.class, () -> spec(dom0(true, Optional.of(false)), "type=pvh"));
        assertTrue(noPvh.getMessage().contains("cannot run PVH guests") && noPvh.getMessage().contains("--type pv"), noPvh.getMessage());
        InvalidInputException noGrub = assertThrows(InvalidInputException.class, () -> spec(dom0(false, Optional.of(true)), "boot-path=pvgrub2"));
        assertTrue(noGrub.getMessage().contains("apt-get install grub-xen-host"), noGrub.getMessage());
        InvalidInputException noKernel = assertThrows(InvalidInputException.class,
                () -> spec(dom0(true, Optional.of(true)), "boot-path=dom0-kernel"));
        assertTrue(noKernel.getMessage().contains("kernel"), noKernel.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> spec(dom0(true, Optional.of(true)), "kernel=/nonexistent/vmlinuz"));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        assertFalse(spec(dom0(true, Optional.of(true)), "nopygrub").domain().pygrub());
    }

    /**
     * GRUB's Xen PV loader cannot unpack trixie's zstd kernels: a PV guest with pvgrub2 gets zstd, with
     * which its boot-menu hook keeps an unpacked copy; by default, when typed, and on a Xen without PVH.
     */
    @Test
    void aPvGuestWithPvgrub2GetsZstdToUnpackItsKernel() throws Exception {
        ImageSpec trixie = spec(dom0(true, Optional.of(true)));
        assertEquals(BootPath.PVGRUB2, trixie.domain().start().path());
        assertEquals(GuestType.PVH, trixie.domain().start().type());
        assertFalse(trixie.install().extraPackages().contains("zstd"), "PVH: GRUB's linux loader leaves unpacking to the kernel");
        for (ImageSpec pv : List.of(spec(dom0(true, Optional.of(true)), "type=pv"), spec(dom0(true, Optional.of(true)), "boot-path=pvgrub2", "type=pv"),
                spec(dom0(true, Optional.of(false))), spec(dom0(true, Optional.of(true)), "type=pv", "dist=bookworm"))) {
            assertEquals(BootPath.PVGRUB2, pv.domain().start().path(), pv.domain().start().why());
            assertEquals(GuestType.PV, pv.domain().start().type());
            assertTrue(pv.install().extraPackages().containsAll(List.of("linux-image-amd64", "zstd")), pv.install().extraPackages().toString());
        }
        assertFalse(spec(dom0(true, Optional.of(true)), "type=pv", "pygrub").install().extraPackages().contains("zstd"),
                "pygrub: Xen's own loader unpacks zstd");
    }

    /** Seen on the rig: a bookworm PV guest of 320 MiB booted with pygrub ran out of memory before its root was mounted. */
    @Test
    void aSmallPygrubPvGuestIsWarnedAbout() throws Exception {
        ImageSpec small = spec(dom0(true, Optional.of(true)), "pygrub", "memory=320M", "dist=bookworm");
        assertTrue(small.warnings().stream().anyMatch(w -> w.contains("memory") && w.contains("512M") && w.contains("pygrub")),
                small.warnings().toString());
        assertFalse(spec(dom0(true, Optional.of(true)), "pygrub", "memory=512M", "dist=bookworm").warnings().stream()
                .anyMatch(w -> w.contains("initramfs")));
        assertFalse(spec(dom0(true, Optional.of(true)), "memory=320M", "dist=bookworm").warnings().stream()
                .anyMatch(w -> w.contains("initramfs")), "pvgrub2 leaves the initramfs packed");
    }
}
