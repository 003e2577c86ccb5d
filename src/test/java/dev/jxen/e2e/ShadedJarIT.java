package dev.jxen.e2e;

import dev.jxen.cli.InProcess;
import dev.jxen.customize.HostKey;
import dev.jxen.contact.HostKeyProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar the launchers run speaks ssh-ed25519. JSch keeps its Ed25519 signature for Java 15 and later
 * under META-INF/versions, which a jar without "Multi-Release: true" hides: --wait-ssh then took an
 * ed25519-only guest for one that never answered. Here a real sshd with only an ed25519 host key is
 * probed from the shaded jar, once with its own key (matched) and once with another (a mismatch).
 */
@Tag("root")
class ShadedJarIT {
    @TempDir
    Path tmp;

    /** Run in a JVM of its own, on the shaded jar: probes ADDRESS PORT expecting the key in PUBFILE, prints the answer. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            List<HostKey> expected = HostKey.parseAll(List.of(Files.readString(Path.of(args[2])).strip()));
            System.out.println(HostKeyProbe.probe(args[0], Integer.parseInt(args[1]), expected, Duration.ofSeconds(20)));
        }
    }

    private String probeFromTheJar(Path jar, int port, Path pub) throws Exception {
        Path classes = Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", jar + ":" + classes, Probe.class.getName(), "127.0.0.1", String.valueOf(port), pub.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out.strip();
    }

    @Test
    void theShadedJarVerifiesAnEd25519OnlyServer() throws Exception {
        Jxen.assumeRoot();
        Path jar = InProcess.home().resolve("target/jxen.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is built before the integration tests");
        try (JarFile j = new JarFile(jar.toFile(), true, java.util.zip.ZipFile.OPEN_READ, Runtime.version())) {
            assertTrue(j.isMultiRelease(), "the manifest of " + jar + " says Multi-Release: true");
        }
        Path authorized = Files.writeString(tmp.resolve("authorized_keys"), "");
        try (LoopbackSshd sshd = LoopbackSshd.start("127.0.0.1", tmp.resolve("sshd"), authorized)) {
            String matched = probeFromTheJar(jar, sshd.port, tmp.resolve("sshd/ssh_host_ed25519_key.pub"));
            assertTrue(matched.startsWith("Matched[key=") && matched.contains("ssh-ed25519"), matched);
            Path other = LoopbackSshd.keyPair(tmp.resolve("other"));
            String mismatch = probeFromTheJar(jar, sshd.port, Path.of(other + ".pub"));
            assertTrue(mismatch.startsWith("Mismatch[type=ssh-ed25519"), "a wrong ed25519 key is a mismatch, not a timeout: " + mismatch);
        }
    }

    /** Only libraries jxen's code reaches are in the jar: Commons Compress's cpio writer needs no Commons Lang. */
    @Test
    void theJarCarriesNoLibraryJxenNeverUses() throws Exception {
        Path jar = InProcess.home().resolve("target/jxen.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is built before the integration tests");
        try (JarFile j = new JarFile(jar.toFile())) {
            List<String> lang = j.stream().map(java.util.jar.JarEntry::getName).filter(n -> n.startsWith("org/apache/commons/lang3/")).limit(3).toList();
            assertEquals(List.of(), lang, "Commons Lang is in " + jar);
            assertTrue(j.getEntry("org/apache/commons/compress/archivers/cpio/CpioArchiveOutputStream.class") != null, "the cpio writer is in " + jar);
        }
    }
}
