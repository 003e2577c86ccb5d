package dev.jxen.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which of Debian's /usr/lib/xen-VERSION directories holds the xl jxen runs. */
class Dom0PathsTest {
    @TempDir
    Path lib;

    private void xen(String dir, boolean withXl) throws Exception {
        Path bin = Files.createDirectories(lib.resolve(dir).resolve("bin"));
        if (withXl) {
            Path xl = Files.writeString(bin.resolve("xl"), "#!/bin/sh\n");
            xl.toFile().setExecutable(true);
        }
    }

    @Test
    void theNewestVersionByNumberNotByName() throws Exception {
        xen("xen-4.9", true);
        xen("xen-4.17", true);
        xen("xen-4.20", true);
        assertEquals(Optional.of(lib.resolve("xen-4.20/bin")), Dom0Paths.newestXenBin(lib));
    }

    @Test
    void aDirectoryWithoutXlOrNotAVersionIsPassedOver() throws Exception {
        xen("xen-4.17", true);
        xen("xen-4.21", false);
        xen("xen-common", true);
        xen("xen-5.0-rc1", true);
        assertEquals(Optional.of(lib.resolve("xen-4.17/bin")), Dom0Paths.newestXenBin(lib));
    }

    @Test
    void noneMeansXlFromPath() throws Exception {
        assertEquals(Optional.empty(), Dom0Paths.newestXenBin(lib));
        assertEquals(Optional.empty(), Dom0Paths.newestXenBin(lib.resolve("missing")));
    }
}
