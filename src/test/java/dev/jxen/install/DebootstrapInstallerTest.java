package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A release the dom0's debootstrap has no script for is installed with its family's shared script, and says so. */
class DebootstrapInstallerTest {
    @TempDir
    Path tmp;

    private List<String> argv(DebootstrapInstaller d, ImageSpec spec) {
        return d.commands(spec, Path.of("/mnt/guest"), Map.of()).get(0).argv();
    }

    @Test
    void forkyOnABookwormDom0UsesTheSidScript() throws Exception {
        Path scripts = Files.createDirectories(tmp.resolve("scripts"));
        Files.writeString(scripts.resolve("sid"), "");
        Files.createSymbolicLink(scripts.resolve("bookworm"), Path.of("sid"));
        DebootstrapInstaller d = new DebootstrapInstaller("1.0.128", scripts);

        ImageSpec forky = TestSpecs.spec(tmp, "hostname=f1", "dir=/srv/xen", "dhcp", "dist=forky");
        List<String> argv = argv(d, forky);
        assertEquals(List.of("forky", "/mnt/guest", "http://mirror.example/debian", scripts.resolve("sid").toString()),
                argv.subList(argv.size() - 4, argv.size()));
        assertTrue(d.notes(forky).get(0).contains("has no script for forky") && d.notes(forky).get(0).contains("sid script"), d.notes(forky).toString());

        ImageSpec bookworm = TestSpecs.spec(tmp, "hostname=b1", "dir=/srv/xen", "dhcp");
        List<String> plain = argv(d, bookworm);
        assertEquals("http://mirror.example/debian", plain.get(plain.size() - 1), "a known release needs no script: " + plain);
        assertEquals(List.of(), d.notes(bookworm));

        ImageSpec resolute = TestSpecs.spec(tmp, "hostname=u1", "dir=/srv/xen", "dhcp", "dist=resolute", "mirror=http://mirror.example/ubuntu");
        List<String> ubuntu = argv(d, resolute);
        assertEquals(scripts.resolve("gutsy").toString(), ubuntu.get(ubuntu.size() - 1));
    }
}
