package dev.jxen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delete and update of several guests, one of which fails: the others are still done, each guest's
 * outcome is reported (a summary event each with --json), the status is the failed guest's, and the
 * runs are in the log.
 */
class SeveralGuestsIT {
    @TempDir
    Path tmp;
    private Jxen jxen;

    @BeforeEach
    void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
    }

    private Path disk(String guest) {
        return jxen.store.resolve("domains").resolve(guest).resolve("disk.img");
    }

    /** A guest as --dir keeps it without a .cfg: its root disk alone, an ext4 filesystem whose fstab names only /. */
    private void guestDisk(String guest) throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree-" + guest).resolve("etc"));
        Files.writeString(tree.resolve("fstab"), "/dev/xvda2 / ext4 errors=remount-ro 0 1\n");
        Files.createDirectories(disk(guest).getParent());
        sh("truncate", "-s", "32M", disk(guest).toString());
        sh("mkfs.ext4", "-q", "-F", "-d", tree.getParent().toString(), disk(guest).toString());
    }

    private static String sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", argv) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", argv) + ": " + out);
        return out.strip();
    }

    /** The last summary event of each guest, by host name. */
    private static Map<String, JsonNode> summaries(String jsonLines) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String line : jsonLines.strip().split("\n")) {
            JsonNode e = json.readTree(line); // every line is one JSON object
            if (e.path("event").asText().equals("summary")) {
                out.put(e.path("hostname").asText(), e);
            }
        }
        return out;
    }

    private List<String> common(String... more) {
        List<String> a = new ArrayList<>(List.of("--config-dir", jxen.config.toString(), "--dir", jxen.store.toString(),
                "--output", jxen.output.toString(), "--log", jxen.log("runs").toString(), "--json"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void deleteGoesOnPastAGuestWhoseDiskIsInUseAndExitsWithItsStatus() throws Exception {
        for (String g : List.of("sga", "sgb", "sgc")) {
            guestDisk(g);
        }
        String loop = sh("losetup", "--find", "--show", disk("sgb").toString());
        try {
            Jxen.Result r = jxen.run("jxen-delete-image", common("sga", "sgb", "sgc"));
            assertEquals(3, r.exit(), "sgb's status, storage in use: " + r.all());
            assertFalse(Files.exists(disk("sga")), "sga, before the failure, is deleted");
            assertFalse(Files.exists(disk("sgc")), "sgc, after the failure, is deleted: " + r.all());
            assertTrue(Files.exists(disk("sgb")), "sgb's disk, in use, is left alone");
            Map<String, JsonNode> s = summaries(r.out());
            assertEquals(List.of("sga", "sgb", "sgc"), List.copyOf(s.keySet()), r.out());
            assertTrue(s.get("sga").path("success").asBoolean() && s.get("sga").path("deleted").asBoolean(), r.out());
            assertTrue(s.get("sgc").path("success").asBoolean() && s.get("sgc").path("deleted").asBoolean(), r.out());
            assertFalse(s.get("sgb").path("success").asBoolean(), r.out());
            assertEquals(3, s.get("sgb").path("status").asInt(), r.out());
            assertTrue(s.get("sgb").path("error").asText().contains(loop), "the error names the loop device: " + r.out());
            assertTrue(r.err().contains("error: sgb: ") && r.err().contains("failed: sgb (exit 3); done: sga, sgc"), r.err());
            String log = Files.readString(jxen.log("runs"));
            assertTrue(log.contains("deleting sga") && log.contains("deleting sgc") && log.contains("SUMMARY success=true"), log);
        } finally {
            sh("losetup", "--detach", loop);
        }
        Jxen.Result again = jxen.run("jxen-delete-image", common("sgb"));
        assertEquals(0, again.exit(), "once its disk is free, sgb goes too: " + again.all());
        assertFalse(Files.exists(disk("sgb")));
    }

    @Test
    void updateGoesOnPastAGuestThatDoesNotExistAndExitsWithItsStatus() throws Exception {
        guestDisk("sua");
        guestDisk("suc");
        Jxen.Result r = jxen.run("jxen-update-image", common("--no-upgrade", "sua", "sub", "suc"));
        assertEquals(3, r.exit(), "sub's status, no such guest: " + r.all());
        Map<String, JsonNode> s = summaries(r.out());
        assertEquals(List.of("sua", "sub", "suc"), List.copyOf(s.keySet()), r.out());
        assertTrue(s.get("sua").path("updated").asBoolean() && s.get("suc").path("updated").asBoolean(), r.out());
        assertFalse(s.get("sub").path("success").asBoolean(), r.out());
        assertTrue(s.get("sub").path("error").asText().contains("no such guest"), r.out());
        assertTrue(r.err().contains("failed: sub (exit 3); done: sua, suc"), r.err());
        String log = Files.readString(jxen.log("runs"));
        assertTrue(log.contains("updating sua") && log.contains("updating suc") && log.contains("[mount]"), log);
        assertEquals("", sh("sh", "-c", "grep -F " + jxen.work + " /proc/mounts || true"), "nothing stays mounted");
    }
}
