package dev.jxen.e2e;

import dev.jxen.mirror.AptProxy;
import dev.jxen.mirror.AptSources;
import dev.jxen.mirror.MirrorGuess;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An apt-cacher-ng of the test's own on 127.0.0.1:3142, with its cache and log in a temporary
 * directory and the machine's own Debian mirror (from its apt sources) as its only backend.
 */
public final class AptCacherNg implements AutoCloseable {
    private final Process process;
    public final Path logDir;

    private AptCacherNg(Process process, Path logDir) {
        this.process = process;
        this.logDir = logDir;
    }

    public static AptCacherNg start(Path dir) throws Exception {
        Path binary = Path.of("/usr/sbin/apt-cacher-ng");
        Assumptions.assumeTrue(Files.isExecutable(binary), "apt-cacher-ng is not installed (.ci/run installs it)");
        Assumptions.assumeFalse(AptProxy.answersAsAptCacherNg(AptProxy.LOCAL_APT_CACHER),
                "another apt-cacher-ng already listens on 127.0.0.1:3142");
        String mirror = MirrorGuess.mirrorFor(AptSources.read(Path.of("/etc/apt")), Set.of("bookworm", "trixie", "sid", "bullseye"))
                .orElseThrow().uri();
        Path conf = Files.createDirectories(dir.resolve("acng-conf"));
        Path cache = Files.createDirectories(dir.resolve("acng-cache"));
        Path logs = Files.createDirectories(dir.resolve("acng-log"));
        Files.writeString(conf.resolve("backends_debian"), mirror + "/\n");
        Files.writeString(conf.resolve("acng.conf"), String.join("\n",
                "CacheDir: " + cache, "LogDir: " + logs, "SupportDir: /usr/lib/apt-cacher-ng", "Port: 3142", "BindAddress: 127.0.0.1",
                "Remap-debrep: file:deb_mirror*.gz /debian ; file:backends_debian", "ReportPage: acng-report.html", "VerboseLog: 1", ""));
        Process p = new ProcessBuilder(binary.toString(), "-c", conf.toString(), "ForeGround=1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("acng.out").toFile()).start();
        for (int i = 0; i < 100 && !AptProxy.answersAsAptCacherNg(AptProxy.LOCAL_APT_CACHER); i++) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        if (!AptProxy.answersAsAptCacherNg(AptProxy.LOCAL_APT_CACHER)) {
            p.destroy();
            throw new AssertionError("apt-cacher-ng did not start: " + Files.readString(dir.resolve("acng.out")));
        }
        return new AptCacherNg(p, logs);
    }

    public List<String> requests() throws Exception {
        Path log = logDir.resolve("apt-cacher.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
