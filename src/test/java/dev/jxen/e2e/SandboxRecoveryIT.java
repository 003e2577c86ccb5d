package dev.jxen.e2e;

import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.SystemUndo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A guest's process that outlived its run (a sandbox whose process 1 no longer dies with its parent) is
 * ended before the run's undo touches the guest again: exactly the PID namespace bubblewrap reported
 * for the run, and nothing else that holds the same filesystem.
 */
@Tag("root")
class SandboxRecoveryIT {
    @TempDir
    Path tmp;

    private static void sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    }

    private static long pidOf(Path pidFile) throws Exception {
        for (int i = 0; i < 100 && (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()); i++) {
            Thread.sleep(50);
        }
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    @Test
    void theRunsOwnSandboxIsEndedAndAnotherHolderOfTheFilesystemIsNot() throws Exception {
        Jxen.assumeRoot();
        Path image = tmp.resolve("guest.img");
        sh("truncate", "-s", "64M", image.toString());
        sh("mkfs.ext4", "-q", "-F", image.toString());
        Path root = Files.createDirectories(tmp.resolve("root"));
        sh("mount", "-o", "loop", image.toString(), root.toString());
        Process survivor = null;
        Process bystander = null;
        try {
            for (String d : List.of("proc", "dev", "tmp", "usr")) {
                Files.createDirectories(root.resolve(d));
            }
            Path jail = Files.createDirectories(tmp.resolve("jail"));
            // the run's sandbox, in a session of its own and not dying with its parent, as if the guest had taken
            // over its process 1; bwrap writes what it made on descriptor 3, as jxen-jail has it do
            survivor = new ProcessBuilder("/bin/sh", "-c", "exec setsid bwrap --bind \"$1\" / --ro-bind /usr /usr --symlink usr/bin /bin "
                    + "--symlink usr/lib /lib --symlink usr/lib64 /lib64 --proc /proc --dev /dev --unshare-pid --info-fd 3 -- "
                    + "/bin/sh -c 'sleep 600 & echo $! > /tmp/sleeper; wait' 3>\"$2\"", "sh", root.toString(), jail.resolve("sandbox-1.json").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            pidOf(root.resolve("tmp/sleeper"));
            // another program that made its own namespaces while the guest was mounted: it holds the filesystem too, and is no sandbox of jxen's
            bystander = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "--mount-proc", "sleep", "600").start();
            Thread.sleep(300);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"pid-namespace\": ([0-9]+)").matcher(Files.readString(jail.resolve("sandbox-1.json")));
            assertTrue(m.find(), Files.readString(jail.resolve("sandbox-1.json")));
            String ns = m.group(1);
            assertEquals(3, dev.jxen.system.MountedFilesystem.inPidNamespace(ns).size(), "bubblewrap's process 1, the shell and its sleep run");

            new SystemUndo.KillSandboxes(jail, root).run(new LocalCommandRunner());

            assertTrue(survivor.waitFor(10, TimeUnit.SECONDS), "the run's sandbox was ended");
            assertEquals(List.of(), dev.jxen.system.MountedFilesystem.inPidNamespace(ns), "every process in its PID namespace");
            assertTrue(bystander.isAlive(), "another holder of the filesystem was left alone");
        } finally {
            for (Process p : new Process[]{survivor, bystander}) {
                if (p != null) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            new ProcessBuilder("umount", root.toString()).start().waitFor();
        }
    }
}
