package dev.jxen.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs that edit one shared file (the dom0's hosts) at once keep every line each of them added. */
class TextFilesTest {
    private static final int EDITS = 200;

    @TempDir
    Path tmp;

    /** Adds EDITS lines "NAME i" to the file, one edit each: run in a JVM of its own. */
    public static final class Appender {
        public static void main(String[] args) throws Exception {
            for (int i = 0; i < EDITS; i++) {
                String line = args[1] + " " + i;
                TextFiles.edit(Path.of(args[0]), "the test's file", Path.of(args[0]).resolveSibling("locks"), new LocalCommandRunner(), lines -> {
                    lines.add(line);
                    return Optional.of(lines);
                });
            }
        }
    }

    @Test
    void editsFromSeveralProcessesAndThreadsAtOnceLoseNoLine() throws Exception {
        Path file = tmp.resolve("hosts");
        Files.writeString(file, "127.0.0.1\tlocalhost\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> others = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            others.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Appender.class.getName(), file.toString(), name)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".out").toFile()).start());
        }
        List<Thread> threads = new ArrayList<>();
        for (String name : List.of("c", "d")) {
            Thread t = new Thread(() -> {
                try {
                    Appender.main(new String[] {file.toString(), name});
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < others.size(); i++) {
            assertTrue(others.get(i).waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, others.get(i).exitValue(), Files.readString(tmp.resolve(List.of("a", "b").get(i) + ".out")));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(1 + 4 * EDITS, lines.size(), "every edit's line is there, once");
        for (String name : List.of("a", "b", "c", "d")) {
            for (int i = 0; i < EDITS; i++) {
                assertTrue(lines.contains(name + " " + i), name + " " + i + " was lost");
            }
        }
    }
}
