package dev.jxen.e2e;

import dev.jxen.cli.InProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Debian package: built from this tree, installed with apt-get, used from /usr/bin with its
 * man page and completion, and purged, leaving the user's /etc/xen-tools as it was.
 */
@Tag("root")
@Tag("mirror")
class DebPackageIT {
    @TempDir
    Path tmp;

    private static String sh(String command, int expectedStatus) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), command + " hung");
        assertEquals(expectedStatus, p.exitValue(), command + ":\n" + out);
        return out;
    }

    @Test
    void installsWorksFromUsrBinAndPurgesCleanly() throws Exception {
        Jxen.assumeRoot();
        Path home = InProcess.home();
        sh("cd " + home + " && packaging/build-deb.sh", 0);
        Path debFile;
        try (var found = Files.newDirectoryStream(home.resolve("target"), "jxen_*_all.deb")) {
            debFile = found.iterator().next();
        }
        Path etc = Path.of("/etc/xen-tools");
        Map<String, String> before = Files.exists(etc) ? FileTree.snapshot(etc, List.of()) : Map.of();
        assertTrue(sh("dpkg-deb --info " + debFile, 0).contains("Package: jxen"));
        sh("cd " + debFile.getParent() + " && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./" + debFile.getFileName(), 0);
        try {
            String dry = sh("/usr/bin/jxen-create-image --config-dir /usr/share/jxen/etc-xen-tools --hostname pkg1 --dir " + tmp + "/store --dist bookworm --mirror http://mirror.example/debian "
                    + "--dhcp --pygrub --output " + tmp + "/out --dry-run", 0);
            assertTrue(dry.contains("Dry run: nothing will be created"), dry);
            assertTrue(dry.contains("/usr/share/jxen/hooks/debian.d/20-apt-sources"), "the installed hooks are used: " + dry);
            assertEquals("/usr/share/man/man1/jxen-create-image.1.gz", sh("man -w jxen-create-image", 0).strip());
            assertTrue(sh("man jxen-create-image | cat", 0).contains("--hostname"));
            String complete = sh("source /usr/share/bash-completion/completions/jxen-create-image && complete -p jxen-create-image", 0);
            assertTrue(complete.contains("jxen-create-image"), complete);
            String completion = "source /usr/share/bash-completion/completions/jxen-create-image 2>/dev/null; "
                    + "COMP_WORDS=(jxen-create-image %s); COMP_CWORD=%d; _complete_jxen-create-image 2>/dev/null; echo \"${COMPREPLY[*]}\"";
            assertEquals("--hostname", sh(String.format(completion, "--hostn", 1), 0).strip(), "options complete");
            assertEquals("bookworm", sh(String.format(completion, "--dist boo", 2), 0).strip(), "dists complete");
            assertTrue(sh(String.format(completion, "--profile ''", 2), 0).contains("small"), "profiles complete");
            assertTrue(sh("/usr/bin/jxen --version", 0).contains("jxen "));
        } finally {
            sh("DEBIAN_FRONTEND=noninteractive apt-get purge -y -q jxen", 0);
        }
        assertFalse(Files.exists(Path.of("/usr/bin/jxen-create-image")));
        assertFalse(Files.exists(Path.of("/usr/share/jxen")));
        Map<String, String> after = Files.exists(etc) ? FileTree.snapshot(etc, List.of()) : Map.of();
        assertEquals(before, after, "/etc/xen-tools changed");
    }
}
