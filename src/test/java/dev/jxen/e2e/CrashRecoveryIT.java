package dev.jxen.e2e;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jxen killed with SIGKILL (as by a crash or the OOM killer) leaves its mounts, loop devices, running
 * commands and half-made storage behind, with its journal; jxen recover, or the next run for the same
 * guest, undoes all of it.
 */
@Tag("root")
@Tag("mirror")
class CrashRecoveryIT {
    @TempDir
    Path tmp;
    Jxen jxen;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
    }

    /** Whatever a test left, even a failing one: its own killed runs, recovered through its own state directory. */
    @org.junit.jupiter.api.AfterEach
    void recoverWhatIsLeft() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (jxen != null && Files.isDirectory(jxen.state())) {
            jxen.run("jxen", List.of("recover"));
        }
    }

    /** Starts a create and SIGKILLs jxen as soon as its log shows {@code mark}. */
    private void killWhenLogged(String host, String mark, String... more) throws Exception {
        Process p = jxen.start("jxen-create-image", jxen.createArgs(host, more));
        started.add(p);
        jxen.awaitLog(p, host, mark, java.time.Duration.ofSeconds(600));
        if (!p.isAlive()) {
            throw new AssertionError("jxen ended before '" + mark + "': " + jxen.result(p).all());
        }
        assertEquals(0, new ProcessBuilder("kill", "-KILL", String.valueOf(p.pid())).start().waitFor());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(jxen.state().resolve(host + ".json")), "the killed run left no journal");
        assertFalse(Leftovers.mountsUnder(jxen.work).isEmpty(), "the killed run held no mount: the test proves nothing");
    }

    private List<String> processesIn(Path dir) {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(dir.toString()))
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList();
    }

    private Jxen.Result recover(String host) throws Exception {
        return jxen.run("jxen", List.of("recover", host));
    }

    private void assertNothingLeft(String host) throws Exception {
        Leftovers.assertNone(jxen, host);
        assertEquals(List.of(), processesIn(jxen.work), "processes still working in the guest");
        assertFalse(Files.exists(jxen.state().resolve(host + ".json")), "the journal is left");
    }

    @Test
    void killedDuringTheInstallThenRecovered() throws Exception {
        Path kernel = Files.writeString(tmp.resolve("vmlinuz-dummy"), "not a kernel");
        // --cache=no: from this machine's warm apt cache debootstrap writes a line every few milliseconds, and with
        // jxen gone the next line's SIGPIPE ends it before the test can see it go on; downloading, it writes per package
        killWhenLogged("k1", "debootstrap: I: Retrieving", "--install-method", "debootstrap", "--no-base-cache", "--cache=no", "--nopygrub",
                "--kernel", kernel.toString());
        assertFalse(processesIn(jxen.work).isEmpty(), "debootstrap did not go on after jxen was killed: the test proves nothing");
        Jxen.Result r = recover("k1");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("a jxen create-image of k1") && r.out().contains("did not finish"), r.out());
        assertTrue(r.out().contains("undo: stop the processes of group"), r.out());
        assertNothingLeft("k1");
    }

    @Test
    void killedInAHookThenTheNextCreateRecoversByItself() throws Exception {
        Path hook = Files.createDirectories(jxen.config.resolve("hooks.d")).resolve("97-sleep");
        Files.writeString(hook, "#!/bin/sh\necho hook-started\nexec sleep 300\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        killWhenLogged("k2", "hook-started");
        Files.delete(hook);
        Jxen.Result again = jxen.create("k2");
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.out().contains("a jxen create-image of k2") && again.out().contains("did not finish; undoing what it left"), again.out());
        assertEquals(List.of(), processesIn(jxen.work), "the hook outlived the recovery");
        assertFalse(Files.exists(jxen.state().resolve("k2.json")));
        Leftovers.assertNothingMounted(jxen);
    }

    @Test
    void killedWhilePackingTheCacheThenRecovered() throws Exception {
        Path cache = tmp.resolve("cache");
        Path kernel = Files.writeString(tmp.resolve("vmlinuz-dummy"), "not a kernel");
        List<String> args = new ArrayList<>(List.of("--nopygrub", "--kernel", kernel.toString()));
        args.addAll(List.of("--base-cache-dir", cache.toString()));
        killWhenLogged("k3", "storing the base tree", args.toArray(new String[0]));
        Jxen.Result r = recover("k3");
        assertEquals(0, r.exit(), r.all());
        assertNothingLeft("k3");
        try (Stream<Path> s = Files.list(cache)) {
            // the fill lock's empty file stays, as lock files do (see BaseTreeCache.fillLock)
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> !n.matches("\\.[0-9a-f]{64}\\.lock")).toList(),
                    "the cache holds a partial entry or a temporary file");
        }
    }

    @Test
    void aJournalWhoseNameIsNoHostNameIsSkippedAndStopsNothing() throws Exception {
        Path state = Files.createDirectories(jxen.state());
        Path stray = Files.writeString(state.resolve("not a host!.json"), "{\"command\":\"create-image\"}");
        try {
            Jxen.Result r = jxen.run("jxen", List.of("recover"));
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.err().contains("skipped " + stray + ": jxen names its journals after guests"), r.err());
            assertEquals("nothing to recover\n", r.out());
        } finally {
            Files.delete(stray);
        }
    }

    @Test
    void recoverWithNothingToDoSaysSo() throws Exception {
        Jxen.Result r = jxen.run("jxen", List.of("recover"));
        assertEquals(0, r.exit(), r.all());
        assertEquals("nothing to recover\n", r.out());
    }
}
