package dev.jxen.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An option given twice takes its last value, and never changes where the configuration is read from. */
class RepeatedOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void aRepeatedOptionKeepsTheConfigDirectory() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        Files.writeString(config.resolve("xen-tools.conf"), "memory = 333M\n", java.nio.file.StandardOpenOption.APPEND);
        InProcess.Result r = InProcess.run("create-image", "--config-dir", config.toString(), "--hostname", "h1",
                "--dist", "trixie", "--dist", "bookworm", "--base-cache-dir", "/a", "--base-cache-dir", "/b", "--dumpconfig");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*memory\\s+= 333M\\s+# " + config.resolve("xen-tools.conf") + ":\\d+.*"), r.out());
        assertTrue(r.out().matches("(?s).*dist\\s+= bookworm\\s+# command line.*"), r.out());
        assertTrue(r.out().matches("(?s).*base-cache-dir\\s+= /b\\s+# command line.*"), r.out());
        assertFalse(r.out().contains("/etc/xen-tools/xen-tools.conf:"), r.out());
    }

    @Test
    void aRepeatedListOptionGivesEachValueOnce() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        InProcess.Result r = InProcess.run("create-image", "--config-dir", config.toString(), "--hostname", "h2", "--dist", "bookworm",
                "--ip", "192.0.2.10", "--ip", "192.0.2.11", "--role", "packages", "--role", "tmpfs", "--dumpconfig");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*\\bip\\s+= 192\\.0\\.2\\.10,192\\.0\\.2\\.11\\s+# command line.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\brole\\s+= packages,tmpfs\\s+# command line.*"), r.out());
    }
}
