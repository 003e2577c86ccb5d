package dev.jxen.render;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.InvalidInputException;
import dev.jxen.xen.DomUConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values that reach the .cfg are quoted for xl: quotes, backslashes, commas, '=' and '#' in every
 * path field come back exactly when the .cfg is read with xl's grammar, and add no key; a control
 * character is refused before anything is rendered.
 */
class HostileCfgValuesTest {
    private static final String NASTY = "a'b\"c\\d,e=f #g]h;i bootloader = 'evil'";

    @TempDir
    Path tmp;

    @Test
    void quotesBackslashesAndCommasInEveryPathComeBackExactly() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("k-" + NASTY));
        Path kernel = Files.writeString(dir.resolve("vmlinuz-" + NASTY), "x");
        Path initrd = Files.writeString(dir.resolve("initrd-" + NASTY), "x");
        String store = "/srv/" + NASTY;
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=h1", "dir=" + store, "pygrub=0", "kernel=" + kernel, "initrd=" + initrd);
        String text = DomUConfigStage.render(TestSpecs.sources(tmp), spec);
        DomUConfigFile cfg = DomUConfigFile.parse(Path.of("h1.cfg"), text);

        assertEquals(new TreeSet<>(Set.of("name", "memory", "vcpus", "type", "kernel", "ramdisk", "root", "extra", "disk", "vif",
                "on_poweroff", "on_reboot", "on_crash")), new TreeSet<>(cfg.settings().keySet()), text);
        assertEquals(kernel.toString(), cfg.values().get("kernel"));
        assertEquals(initrd.toString(), cfg.values().get("ramdisk"));
        assertEquals(List.of(store + "/domains/h1/disk.img", store + "/domains/h1/swap.img"), cfg.diskTargets());
        assertTrue(text.lines().noneMatch(l -> l.startsWith("bootloader")), text);
    }

    @Test
    void aNewlineOrOtherControlCharacterInAPathIsRefusedBeforeAnythingIsRendered() throws Exception {
        Path kernel = Files.writeString(tmp.resolve("vmlinuz\nbootloader = 'evil'"), "x");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TestSpecs.spec(tmp, "hostname=h1", "dir=/srv/xen", "pygrub=0", "kernel=" + kernel));
        assertTrue(e.getMessage().contains("--kernel=") && e.getMessage().contains("control character"), e.getMessage());
        InvalidInputException d = assertThrows(InvalidInputException.class,
                () -> TestSpecs.spec(tmp, "hostname=h1", "dir=/srv/x\ty", "dhcp"));
        assertTrue(d.getMessage().contains("control characters"), d.getMessage());
    }

    @Test
    void xlStringRefusesWhatXlWouldReadAsAnEscape() {
        assertEquals("\"a\\\"b\\\\c\"", XlString.quote("a\"b\\c"));
        assertThrows(IllegalArgumentException.class, () -> XlString.quote("a\nb"));
    }

    @Test
    void theReaderFollowsXlsGrammar() throws Exception {
        DomUConfigFile cfg = DomUConfigFile.parse(Path.of("x.cfg"), String.join("\n",
                "# a comment", "name = 'web1' ; memory=256 # trailing", "disk = [ 'file:/srv/a,b.img,xvda2,w',",
                "   \"format=raw, vdev=xvda1, target=/srv/x\\\"y\", ]", "extra = \"a\\tb\\x41\\101\"", "disk += [ 'phy:/dev/vg/z,xvda3,w' ]", ""));
        assertEquals("web1", cfg.values().get("name"));
        assertEquals("256", cfg.values().get("memory"));
        assertEquals("a\tbAA", cfg.values().get("extra"));
        assertEquals(List.of("/srv/a", "/srv/x\"y", "/dev/vg/z"), cfg.diskTargets());
        assertThrows(java.io.IOException.class, () -> DomUConfigFile.parse(Path.of("bad.cfg"), "name = 'unterminated\n"));
        assertThrows(java.io.IOException.class, () -> DomUConfigFile.parse(Path.of("bad.cfg"), "name = 'a' kernel = 'b'\n"));
    }
}
