package dev.jxen.xen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One rule for which files of /etc/xen are guests' .cfg files, for list, create and delete. */
class GuestConfigsTest {
    @TempDir
    Path tmp;

    private void cfg(String file, String name) throws Exception {
        Files.writeString(tmp.resolve(file), "name = '" + name + "'\ndisk = [ 'phy:/dev/vg0/" + name + "-disk,xvda2,w' ]\n");
    }

    @Test
    void guestsAreThoseXenListImagesListsSortedAndTheUnreadableAreNamed() throws Exception {
        cfg("b.cfg", "b");
        cfg("a.cfg", "a");
        cfg("a.cfg~", "backup");
        cfg(".a.cfg.jxen-new.cfg", "staged");
        cfg("c.cfg.dpkg-old", "dpkg");
        cfg("xl.conf", "xl");
        cfg("d.sxp", "sxp");
        cfg("e.other", "other");
        Files.createDirectories(tmp.resolve("dir.cfg"));
        Files.writeString(tmp.resolve("broken.cfg"), "name = 'unterminated\n");
        GuestConfigs g = GuestConfigs.in(tmp, ".cfg");
        assertEquals(List.of("a", "b"), g.configs().stream().map(DomUConfigFile::name).toList());
        assertEquals(1, g.skipped().size(), g.skipped().toString());
        assertTrue(g.skipped().get(0).startsWith(tmp.resolve("broken.cfg") + ": "), g.skipped().toString());
        assertEquals(List.of("b"), g.except(tmp.resolve("a.cfg")).stream().map(DomUConfigFile::name).toList());
        assertEquals(List.of("a", "b", "other"), GuestConfigs.in(tmp, "").configs().stream().map(DomUConfigFile::name).toList(),
                "an empty suffix lists every file but the ones no suffix lets in");
        assertEquals(List.of(), GuestConfigs.in(tmp.resolve("none"), ".cfg").configs());
    }
}
