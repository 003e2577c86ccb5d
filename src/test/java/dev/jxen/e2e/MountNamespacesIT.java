package dev.jxen.e2e;

import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.Mounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process that makes a mount namespace copies every mount there is, and its copy keeps a
 * filesystem alive after it is unmounted everywhere else. Two jxen runs at once must not hold each
 * other's guests that way (a hook's sandbox of one, made while the other's guest was mounted, kept it
 * alive while that run checked it: CI saw the check fail), and an unmount that another namespace
 * holds is reported, never taken as done.
 */
@Tag("root")
@Tag("mirror")
class MountNamespacesIT {
    @TempDir
    Path tmp;
    Jxen jxen;

    @BeforeEach
    void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
    }

    @Test
    void aHookOfOneRunDoesNotHoldTheGuestOfAnother() throws Exception {
        Path marks = Files.createDirectories(tmp.resolve("marks"));
        Path hook = Files.createDirectories(jxen.config.resolve("hooks.d")).resolve("97-hold");
        // "checked" waits in its hook until "holder" is in its own; "holder" waits there until released.
        Files.writeString(hook, "#!/bin/sh\n"
                + "wait_for() { i=0; while [ ! -e \"" + marks + "/$1\" ] && [ $i -lt 1800 ]; do sleep 0.1; i=$((i+1)); done; }\n"
                + "case \"$hostname\" in\n"
                + "  checked) wait_for holder-in-hook ;;\n"
                + "  holder) touch \"" + marks + "/holder-in-hook\"; wait_for release ;;\n"
                + "esac\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

        Process checked = jxen.start("jxen-create-image", jxen.createArgs("checked"));
        assertTrue(jxen.awaitLog(checked, "checked", "97-hold", Duration.ofMinutes(10)), "checked never reached its hook");
        Process holder = jxen.start("jxen-create-image", jxen.createArgs("holder"), "holder");
        assertTrue(checked.waitFor(10, TimeUnit.MINUTES), "checked did not finish");
        String log = Files.readString(jxen.log("checked"));
        Files.writeString(marks.resolve("release"), "");
        assertTrue(holder.waitFor(10, TimeUnit.MINUTES), "holder did not finish");
        assertTrue(Files.exists(marks.resolve("holder-in-hook")), "holder never ran its hook");
        assertEquals(0, checked.exitValue(), log);
        assertTrue(log.contains("the guest's filesystems are clean"), log);
        assertFalse(log.contains("still mounted in another mount namespace"), log);
        assertEquals(0, holder.exitValue(), Files.readString(jxen.log("holder")));
    }

    @Test
    void anUnmountThatAnotherNamespaceHoldsIsReportedWithTheHolder() throws Exception {
        Path image = tmp.resolve("fs.img");
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        assertEquals(0, new ProcessBuilder("mkfs.ext4", "-q", "-F", image.toString()).inheritIO().start().waitFor());
        Path at = Files.createDirectories(tmp.resolve("mnt")).toRealPath();
        assertEquals(0, new ProcessBuilder("mount", "-o", "loop", image.toString(), at.toString()).inheritIO().start().waitFor());
        Process copy = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sleep", "600").start();
        try {
            // unshare has made its namespace once it has become sleep, in a mount namespace not ours
            Path proc = Path.of("/proc", String.valueOf(copy.pid()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(Files.readString(proc.resolve("cmdline")).startsWith("sleep")
                    && !Files.readSymbolicLink(proc.resolve("ns/mnt")).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"))))) {
                assertTrue(System.nanoTime() < deadline && copy.isAlive(), "unshare did not make its mount namespace");
                Thread.sleep(20);
            }
            IOException e = assertThrows(IOException.class, () -> Mounts.unmount(new LocalCommandRunner(), at, Duration.ofSeconds(2)));
            assertTrue(e.getMessage().contains("still mounted in another mount namespace") && e.getMessage().contains("(sleep)")
                    && e.getMessage().contains(image.toString()), e.getMessage());
            assertFalse(Mounts.isMounted(at), "it is unmounted here all the same");
        } finally {
            copy.destroy();
            copy.waitFor();
        }
        Process check = new ProcessBuilder("e2fsck", "-n", "-f", image.toString()).redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes());
        assertEquals(0, check.waitFor(), "once the copy is gone the filesystem is released whole: " + out);
    }
}
