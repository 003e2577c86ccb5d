package dev.jxen.customize;

import dev.jxen.cli.InProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The apt sources the shipped hook writes for each release: one-line for bookworm, deb822 with the
 * updates and security suites for trixie and forky. The hook runs for real, with a JXEN_HOOK_LIB that
 * writes into a directory instead of chrooting into a guest.
 */
class AptSourcesHookTest {
    @TempDir
    Path tmp;

    private Path run(String dist) throws Exception {
        Path root = Files.createDirectories(tmp.resolve(dist));
        Path lib = Files.writeString(tmp.resolve("lib.sh"), """
                guest_has_shell() { true; }
                guest_write() { mkdir -p "$1$(dirname "$2")"; cat > "$1$2"; }
                """);
        ProcessBuilder pb = new ProcessBuilder("sh", InProcess.home().resolve("hooks/debian.d/20-apt-sources").toString(), root.toString());
        pb.environment().putAll(java.util.Map.of("JXEN_HOOK_LIB", lib.toString(), "dist", dist, "family", "debian",
                "mirror", "http://mirror.example/debian"));
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return root;
    }

    @Test
    void bookwormGetsOneLineSources() throws Exception {
        Path root = run("bookworm");
        assertEquals("""
                # written by jxen
                deb http://mirror.example/debian bookworm main non-free-firmware
                deb http://mirror.example/debian bookworm-updates main non-free-firmware
                deb http://mirror.example/debian-security bookworm-security main non-free-firmware
                """, Files.readString(root.resolve("etc/apt/sources.list")));
        assertFalse(Files.exists(root.resolve("etc/apt/sources.list.d/debian.sources")));
    }

    @Test
    void trixieAndForkyGetDeb822SourcesWithUpdatesAndSecurity() throws Exception {
        for (String dist : new String[] {"trixie", "forky"}) {
            Path root = run(dist);
            String sources = Files.readString(root.resolve("etc/apt/sources.list.d/debian.sources"));
            assertEquals("""
                    # written by jxen
                    Types: deb
                    URIs: http://mirror.example/debian
                    Suites: %1$s %1$s-updates
                    Components: main non-free-firmware
                    Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

                    Types: deb
                    URIs: http://mirror.example/debian-security
                    Suites: %1$s-security
                    Components: main non-free-firmware
                    Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
                    """.formatted(dist), sources);
            assertTrue(Files.readString(root.resolve("etc/apt/sources.list")).lines().allMatch(l -> l.startsWith("#")),
                    "sources.list only points to debian.sources");
            assertEquals(2, dev.jxen.mirror.AptSources.parse("debian.sources", sources).size(), "apt's own format, as jxen reads it");
        }
    }

    @Test
    void sidHasNeitherUpdatesNorSecurity() throws Exception {
        String sources = Files.readString(run("sid").resolve("etc/apt/sources.list.d/debian.sources"));
        assertTrue(sources.contains("Suites: sid\n") && !sources.contains("security"), sources);
    }
}
