package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.xen.DomUConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A partitions.d layout gets the Xen device names xen-tools 4.9.2 gives it. The golden .cfg is what
 * xen-tools 4.9.2 wrote for its own sample-server layout on Debian 12
 * ({@code xen-create-image --hostname xt1 --dir DIR --partitions sample-server --install=0 --hooks=0});
 * both files are kept under src/test/resources/xen-tools-4.9.2.
 */
class XenToolsNumberingTest {
    @TempDir
    Path tmp;

    private static Path fixture(String name) throws Exception {
        return Path.of(XenToolsNumberingTest.class.getResource("/xen-tools-4.9.2/" + name).toURI());
    }

    @Test
    void theSampleServerLayoutIsNumberedAsXenToolsNumbersIt() throws Exception {
        Map<String, String> xenTools = new TreeMap<>();
        for (String d : DomUConfigFile.read(fixture("sample-server.cfg")).disks()) {
            String[] f = d.split(",");
            String image = Path.of(f[0].replaceFirst("^file:", "")).getFileName().toString();
            xenTools.put(image.replaceFirst("\\.img$", ""), f[1]);
        }
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=xt1", "dir=/srv/xen", "partitions=" + fixture("partitions.d/sample-server"));
        Map<String, String> jxen = new TreeMap<>();
        for (GuestDisk d : GuestDisks.layout(spec).disks()) {
            jxen.put(d.partition().name(), d.xenDevice());
        }
        assertEquals(8, xenTools.size(), xenTools.toString());
        assertEquals(xenTools, jxen);
        assertEquals("xvda2", GuestDisks.layout(spec).root().xenDevice());
    }
}
