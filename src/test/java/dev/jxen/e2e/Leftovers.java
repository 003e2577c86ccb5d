package dev.jxen.e2e;

import dev.jxen.system.HostLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What a failed create must not leave: mounts, loop devices, images, a .cfg, mount points, a run
 * journal, a line in the dom0's hosts file, a password file ({@link #passwordFile}), a held lock.
 */
public final class Leftovers {
    private Leftovers() {
    }

    public static List<String> mountsUnder(Path... dirs) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            for (Path d : dirs) {
                if (f[0].startsWith(d.toString()) || f[1].startsWith(d.toString())) {
                    out.add(line);
                }
            }
        }
        return out;
    }

    /** Loop devices whose backing file lies under {@code dir}. */
    public static List<String> loopsUnder(Path dir) throws Exception {
        Process p = new ProcessBuilder("losetup", "--list", "--noheadings", "--output", "NAME,BACK-FILE").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.lines().filter(l -> l.contains(dir.toString())).toList();
    }

    public static void assertNothingMounted(Jxen j) throws Exception {
        assertEquals(List.of(), mountsUnder(j.work, j.store), "mounts left behind");
        assertEquals(List.of(), loopsUnder(j.store), "loop devices left behind");
    }

    public static void assertNone(Jxen j, String host) throws Exception {
        assertNothingMounted(j);
        Path domain = j.store.resolve("domains").resolve(host);
        List<String> files = new ArrayList<>();
        if (Files.exists(domain)) {
            try (Stream<Path> s = Files.walk(domain)) {
                s.forEach(p -> files.add(p.toString()));
            }
        }
        assertEquals(List.of(), files, "image files or directories left behind");
        assertEquals(false, Files.exists(j.cfg(host)), ".cfg left behind");
        if (Files.isDirectory(j.work)) {
            try (Stream<Path> s = Files.list(j.work)) {
                assertEquals(List.of(), s.map(Path::toString).toList(), "mount points left behind");
            }
        }
        assertFalse(Files.exists(dev.jxen.pipeline.RunJournal.fileFor(j.state(), host)), "the run's journal left behind");
        Path hosts = j.root.resolve("dom0-hosts");
        if (Files.exists(hosts)) {
            for (String line : Files.readAllLines(hosts)) {
                assertFalse(List.of(line.split("[\\s#]+")).contains(host), "a line for " + host + " left in the dom0's hosts file: " + line);
            }
        }
        assertFalse(Files.exists(passwordFile(j, host)), "the generated password's file left behind");
        HostLock.acquire(j.locks, host).close(); // the lock was released
    }

    /** Where a test has a create of {@code host} write its generated password (--password-file), so that a failed one is seen to remove it. */
    public static Path passwordFile(Jxen j, String host) {
        return j.root.resolve(host + ".password");
    }
}
