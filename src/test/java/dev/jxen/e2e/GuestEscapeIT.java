package dev.jxen.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A guest's owner plants a program in a real guest (its own /usr/bin/apt-get, and a binary a role
 * runs through chroot) that tries every way out of the sandbox it knows, against real targets on the
 * dom0: a secret file, another guest's disk, a unix, an abstract and two TCP listeners, a process, a
 * directory, the kernel's tunables. jxen-update-image runs it; every attempt must fail, and the test
 * reports them one by one. Then the update, with the guest's own apt-get back, still upgrades a
 * package from the mirror through jxen's mirror proxy, and a source elsewhere is refused by name.
 */
@Tag("root")
@Tag("mirror")
class GuestEscapeIT {
    private static final String HOST = "esc1";
    /** Every attempt escape.c makes; a run that reports fewer did not try them all. */
    private static final int ATTEMPTS = 41;
    /** A file of the dom0's /etc that no guest has, for the attempts to look for. */
    private static final Path ETC_MARKER = Path.of("/etc/jxen-dom0-marker");
    /** The dom0's targets, outside /tmp: a sandbox's own /tmp would hide them whether it held or not. */
    static Path dom0;
    @TempDir
    static Path tmp;
    static Jxen jxen;
    static DomZeroVictims victims;
    static Path escape;
    static Path secret;
    static Path otherDisk;
    static ServerSocketChannel unixListener;
    static ServerSocket loopbackListener;
    static ServerSocket anyListener;
    static Process abstractListener;
    static Process victimProcess;
    static final AtomicInteger unixConnections = new AtomicInteger();
    static final AtomicInteger tcpConnections = new AtomicInteger();
    static String corePattern;

    @BeforeAll
    static void createTheGuestAndTheTargets() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
        Jxen.Result r = jxen.create(HOST);
        assertEquals(0, r.exit(), r.all());
        escape = compile();
        dom0 = Files.createTempDirectory(Path.of("/var/lib"), "jxen-escape-test-");
        Files.writeString(ETC_MARKER, "a file of the dom0's /etc\n");
        victims = new DomZeroVictims(dom0.resolve("victims"));
        secret = Files.writeString(dom0.resolve("dom0-secret"), "the dom0's secret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        otherDisk = Files.createDirectories(dom0.resolve("store/domains/other1")).resolve("disk.img");
        Files.writeString(otherDisk, "another guest's disk\n");
        unixListener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        unixListener.bind(UnixDomainSocketAddress.of(dom0.resolve("dom0.sock")));
        accept(() -> {
            unixListener.accept().close();
            unixConnections.incrementAndGet();
        });
        loopbackListener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        anyListener = new ServerSocket();
        anyListener.bind(new InetSocketAddress(0));
        for (ServerSocket s : List.of(loopbackListener, anyListener)) {
            accept(() -> {
                s.accept().close();
                tcpConnections.incrementAndGet();
            });
        }
        abstractListener = new ProcessBuilder("socat", "ABSTRACT-LISTEN:jxen-escape-" + ProcessHandle.current().pid() + ",fork", "EXEC:/bin/true")
                .redirectErrorStream(true).start();
        victimProcess = new ProcessBuilder("bash", "-c", "exec -a jxen-escape-victim sleep 3600").start();
        corePattern = Files.readString(Path.of("/proc/sys/kernel/core_pattern"));
        asTheGuestOwner(root -> Files.writeString(root.resolve("etc/jxen-escape.conf"), String.join("\n",
                "secret " + secret, "disk " + otherDisk, "unix " + dom0.resolve("dom0.sock"), "abstract jxen-escape-" + ProcessHandle.current().pid(),
                "tcp " + loopbackListener.getLocalPort(), "hostip " + dom0Address(), "hostport " + anyListener.getLocalPort(),
                "pid " + victimProcess.pid(), "victims " + victims.dir) + "\n"));
        asTheGuestOwner(root -> run("mknod", root.resolve("var/tmp/jxen-loop-control").toString(), "c", "10", "237"));
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    }

    @AfterAll
    static void stopTheTargets() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{unixListener, loopbackListener, anyListener}) {
            if (c != null) {
                c.close();
            }
        }
        for (Process p : new Process[]{abstractListener, victimProcess}) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        Files.deleteIfExists(ETC_MARKER);
        if (dom0 != null) {
            try (var s = Files.walk(dom0)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    interface Accept {
        void once() throws IOException;
    }

    private static void accept(Accept a) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    a.once();
                }
            } catch (IOException e) {
                // closed at the end
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** An IPv4 address of the dom0 other than loopback, where a TCP listener on all addresses answers. */
    private static String dom0Address() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        return "127.0.0.2";
    }

    private static Path compile() throws Exception {
        Path src = tmp.resolve("escape.c");
        try (InputStream in = GuestEscapeIT.class.getResourceAsStream("/escape/escape.c")) {
            Files.write(src, in.readAllBytes());
        }
        Path bin = tmp.resolve("escape");
        Process p = new ProcessBuilder("gcc", "-static", "-O2", "-w", "-o", bin.toString(), src.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "gcc -static (apt-get install gcc libc6-dev): " + out);
        return bin;
    }

    @FunctionalInterface
    interface Change {
        void apply(Path root) throws Exception;
    }

    private static void asTheGuestOwner(Change change) throws Exception {
        try (GuestImage g = GuestImage.mountWritable(jxen.image(HOST, "disk"), tmp.resolve("owner"))) {
            change.apply(g.root);
        }
    }

    private static Jxen.Result update(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--config-dir", jxen.config.toString(), "--output", jxen.output.toString(), "--verbose"));
        args.addAll(List.of(more));
        args.add(HOST);
        return jxen.run("jxen-update-image", args);
    }

    /** Reads what the planted program wrote in the guest, checks every attempt of the round failed, and says which they were. */
    private static void assertEveryAttemptBlocked(String round, Jxen.Result r) throws Exception {
        List<String> lines = new ArrayList<>();
        asTheGuestOwner(root -> {
            Path results = root.resolve("var/tmp/jxen-escape.txt");
            assertTrue(Files.exists(results), "the planted program did not run in round " + round + ": " + r.all());
            lines.addAll(Files.readAllLines(results));
            Files.delete(results);
        });
        assertTrue(lines.contains("ROUND " + round + " uid=0"), lines.toString());
        List<String> attempts = lines.stream().filter(l -> l.startsWith("ATTEMPT ")).toList();
        attempts.forEach(a -> System.out.println("[" + round + "] " + a));
        assertEquals(ATTEMPTS, attempts.size(), "attempts made in round " + round + ": " + attempts);
        List<String> escapes = attempts.stream().filter(a -> !a.contains(": blocked (")).toList();
        assertEquals(List.of(), escapes, "ways out of the sandbox in round " + round);
        assertTrue(lines.contains("DONE " + ATTEMPTS + " attempts, 0 escapes"), lines.toString());
        victims.assertUnchanged("after the planted program's round " + round);
        assertFalse(Files.exists(victims.dir.resolve("planted-by-a-guest")));
        assertEquals(0, unixConnections.get(), "connections to the dom0's unix socket");
        assertEquals(0, tcpConnections.get(), "connections to the dom0's TCP listeners");
        assertEquals(corePattern, Files.readString(Path.of("/proc/sys/kernel/core_pattern")));
        assertTrue(victimProcess.isAlive());
    }

    /**
     * The attempts can fail: the same program in a plain chroot with root's capabilities (in namespaces
     * of its own, so that what it does stays there, and without the capabilities to set the clock,
     * reboot or load modules) finds its way out, and says so.
     */
    @Test
    void theAttemptsSeeAWayOutWhereThereIsOne() throws Exception {
        List<String> lines = new ArrayList<>();
        try (GuestImage g = GuestImage.mountWritable(jxen.image(HOST, "disk"), tmp.resolve("owner"))) {
            Files.copy(escape, g.root.resolve("usr/local/bin/jxen-escape"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Process p = new ProcessBuilder("setpriv", "--bounding-set", "-sys_time,-sys_boot,-sys_module,-syslog,-wake_alarm,-net_admin", "--",
                    "unshare", "--mount", "--propagation", "private", "--pid", "--net", "--ipc", "--uts", "--fork",
                    "--mount-proc=" + g.root.resolve("proc"), "chroot", g.root.toString(), "/usr/local/bin/jxen-escape", "control")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            Path results = g.root.resolve("var/tmp/jxen-escape.txt");
            lines.addAll(Files.readAllLines(results));
            Files.delete(results);
            Files.deleteIfExists(g.root.resolve("tmp/jxen-sda"));
            Files.deleteIfExists(g.root.resolve("usr/local/bin/jxen-escape"));
        }
        lines.stream().filter(l -> l.startsWith("ATTEMPT ")).forEach(a -> System.out.println("[control] " + a));
        for (String attempt : List.of("chroot-escape", "open-by-handle", "raw-ip-socket", "mount", "make-block-device", "core-pattern", "bpf",
                "open-planted-device-node")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("ATTEMPT " + attempt + ": ESCAPED")),
                    attempt + " must see its way out of a plain chroot with root's capabilities: " + lines);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ATTEMPT chroot-escape: ESCAPED (left the chroot and found the dom0's secret)")), lines.toString());
        victims.snapshot();
    }

    @Test
    void aPlantedAptGetRunByAnUpdateReachesNothingOfTheDom0() throws Exception {
        asTheGuestOwner(root -> {
            Files.move(root.resolve("usr/bin/apt-get"), root.resolve("usr/bin/apt-get.jxen-real"));
            Files.copy(escape, root.resolve("usr/bin/apt-get"));
        });
        try {
            victims.snapshot();
            Jxen.Result r = update();
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.out().contains("ATTEMPT chroot-escape: blocked"), "the planted program's output is the update's: " + r.out());
            assertEveryAttemptBlocked("update", r);
        } finally {
            asTheGuestOwner(root -> {
                Files.delete(root.resolve("usr/bin/apt-get"));
                Files.move(root.resolve("usr/bin/apt-get.jxen-real"), root.resolve("usr/bin/apt-get"));
            });
        }
    }

    @Test
    void aGuestProgramARoleRunsThroughChrootReachesNothingOfTheDom0() throws Exception {
        asTheGuestOwner(root -> Files.copy(escape, root.resolve("usr/local/bin/jxen-escape"), java.nio.file.StandardCopyOption.REPLACE_EXISTING));
        try {
            Path role = Files.createDirectories(tmp.resolve("roles")).resolve("run-guest-program");
            Files.writeString(role, "#!/bin/sh\nchroot \"$1\" /usr/local/bin/jxen-escape role\n");
            Files.setPosixFilePermissions(role, PosixFilePermissions.fromString("rwxr-xr-x"));
            victims.snapshot();
            Jxen.Result r = update("--no-upgrade", "--role", role.toString());
            assertEquals(0, r.exit(), r.all());
            assertEveryAttemptBlocked("role", r);
            String run = Files.readString(tmp.resolve("last.out"));
            assertTrue(run.contains("ATTEMPT chroot-escape: blocked (left the chroot, into the sandbox's own root"),
                    "a role may chroot into the guest, and leaving that chroot must lead nowhere: " + run);
        } finally {
            asTheGuestOwner(root -> Files.deleteIfExists(root.resolve("usr/local/bin/jxen-escape")));
        }
    }

    @Test
    void theUpdateStillUpgradesFromTheMirrorThroughJxen() throws Exception {
        String[] real = new String[1];
        asTheGuestOwner(root -> {
            Path status = root.resolve("var/lib/dpkg/status");
            String s = Files.readString(status);
            int at = s.indexOf("Package: base-files\n");
            assertTrue(at >= 0, "the guest has base-files");
            int v = s.indexOf("\nVersion: ", at) + "\nVersion: ".length();
            int end = s.indexOf('\n', v);
            real[0] = s.substring(v, end);
            Files.writeString(status, s.substring(0, v) + "12.0" + s.substring(end));
        });
        Jxen.Result r = update();
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().matches("(?s).*the guest's sandbox fetched [1-9][0-9]* files .* from http://.* through jxen.*"), r.out());
        asTheGuestOwner(root -> {
            String s = Files.readString(root.resolve("var/lib/dpkg/status"));
            int at = s.indexOf("Package: base-files\n");
            String version = s.substring(s.indexOf("\nVersion: ", at) + 10, s.indexOf('\n', s.indexOf("\nVersion: ", at) + 10));
            assertNotEquals("12.0", version, "base-files was not upgraded");
            assertEquals(real[0], version);
            assertFalse(Files.exists(root.resolve("etc/apt/apt.conf.d/zzzz-jxen-sandbox-mirror")), "jxen's apt setting was left in the guest");
            assertFalse(Files.exists(root.resolve("usr/sbin/policy-rc.d")), "jxen's policy-rc.d was left in the guest");
        });
    }

    @Test
    void aSourceOtherThanTheMirrorIsRefusedByName() throws Exception {
        asTheGuestOwner(root -> Files.writeString(root.resolve("etc/apt/sources.list.d/elsewhere.list"),
                "deb http://apt.elsewhere.invalid/debian bookworm main\n"));
        try {
            Jxen.Result r = update();
            assertTrue(r.all().contains("refused the guest's request for http://apt.elsewhere.invalid/debian/dists/bookworm/"), r.all());
            assertTrue(r.all().contains("a guest's sandbox reaches only http://"), r.all());
        } finally {
            asTheGuestOwner(root -> Files.delete(root.resolve("etc/apt/sources.list.d/elsewhere.list")));
        }
    }
}
