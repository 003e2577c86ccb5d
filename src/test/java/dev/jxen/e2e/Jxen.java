package dev.jxen.e2e;

import dev.jxen.cli.InProcess;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built launchers in bin/ as a user would, in a scratch world: a copy of the shipped
 * configuration, its own storage, .cfg, log, work and lock directories, and the base-tree cache
 * shared by every end-to-end test of a run (TESTING.md), so only the first create pays for debootstrap.
 */
public final class Jxen {
    /** Shared across tests and CI runs on one machine; bounded by jxen's own cache size limit. */
    public static final Path SHARED_CACHE = Path.of("/var/tmp/jxen-test-base-cache");

    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public final Path root;
    public final Path config;
    public final Path store;
    public final Path output;
    public final Path logs;
    public final Path work;
    public final Path locks;

    /** Where runs keep their journals (Dom0Paths' JXEN_STATE_DIR). */
    public Path state() {
        return root.resolve("state");
    }
    private final Map<String, String> env = new HashMap<>();

    public Jxen(Path tmp) throws IOException {
        root = tmp;
        config = InProcess.scratchConfigDir(tmp);
        store = tmp.resolve("store");
        output = tmp.resolve("out");
        logs = tmp.resolve("logs");
        work = tmp.resolve("work");
        locks = tmp.resolve("locks");
        env.put("JXEN_WORK_DIR", work.toString());
        env.put("JXEN_LOCK_DIR", locks.toString());
        env.put("JXEN_STATE_DIR", tmp.resolve("state").toString());
        Path hosts = tmp.resolve("dom0-hosts");
        Files.copy(Path.of("/etc/hosts"), hosts);
        env.put("JXEN_DOM0_HOSTS", hosts.toString());
    }

    public static void assumeRoot() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (mounts, loop devices, chroot)");
    }

    public Jxen env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public Path log(String host) {
        return logs.resolve(host + ".log");
    }

    /** The reference guest: --dir, bookworm, 2G, 256M swap, 256M memory, DHCP, plus {@code more}. */
    public List<String> createArgs(String host, String... more) {
        List<String> a = new ArrayList<>(List.of("--config-dir", config.toString(), "--hostname", host, "--dir", store.toString(),
                "--dist", "bookworm", "--size", "2G", "--swap", "256M", "--memory", "256M", "--dhcp",
                "--output", output.toString(), "--log", log(host).toString(), "--base-cache-dir", SHARED_CACHE.toString()));
        a.addAll(List.of(more));
        return a;
    }

    public Result create(String host, String... more) throws Exception {
        return run("jxen-create-image", createArgs(host, more));
    }

    public Process start(String launcher, List<String> args) throws IOException {
        return start(launcher, args, "last");
    }

    /** A run whose standard output and error go to {@code name}.out and .err, so that runs side by side can each be read. */
    public Process start(String launcher, List<String> args, String name) throws IOException {
        List<String> cmd = new ArrayList<>();
        // SIGINT as a user's Ctrl-C delivers it, even where this test runs with it ignored (a shell without
        // job control starts its background commands so, and an ignored signal stays ignored across exec)
        cmd.addAll(List.of("env", "--default-signal=INT"));
        cmd.add(InProcess.home().resolve("bin").resolve(launcher).toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectOutput(root.resolve(name + ".out").toFile());
        pb.redirectError(root.resolve(name + ".err").toFile());
        return pb.start();
    }

    /**
     * Waits while {@code p} runs until the log of {@code host} shows {@code text}; true when it did,
     * false when the run ended first or {@code limit} passed.
     */
    public boolean awaitLog(Process p, String host, String text, java.time.Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(log(host)) && Files.readString(log(host)).contains(text)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public Result run(String launcher, List<String> args) throws Exception {
        Process p = start(launcher, args);
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(launcher + " did not finish in 20 minutes");
        }
        return result(p);
    }

    public Result result(Process p) throws IOException {
        return new Result(p.exitValue(), Files.readString(root.resolve("last.out"), StandardCharsets.UTF_8),
                Files.readString(root.resolve("last.err"), StandardCharsets.UTF_8));
    }

    public Path image(String host, String name) {
        return store.resolve("domains").resolve(host).resolve(name + ".img");
    }

    public Path cfg(String host) {
        return output.resolve(host + ".cfg");
    }
}
