package dev.jxen.customize;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** jxen's fingerprint of a host key is the line ssh-keygen -l prints for it. */
class SshFingerprintTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"ed25519,", "ecdsa,521", "ecdsa,256", "rsa,3072", "rsa,2048"})
    void matchesSshKeygen(String type, String bits) throws Exception {
        Path key = tmp.resolve("k");
        ProcessBuilder gen = bits == null
                ? new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "root@web1.example.org", "-f", key.toString())
                : new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-b", bits, "-N", "", "-C", "root@web1.example.org", "-f", key.toString());
        assertEquals(0, gen.inheritIO().start().waitFor());
        Process l = new ProcessBuilder("ssh-keygen", "-l", "-f", key + ".pub").start();
        String expected = new String(l.getInputStream().readAllBytes()).strip();
        assertEquals(0, l.waitFor());
        assertEquals(expected, SshFingerprint.of(Files.readString(Path.of(key + ".pub"))));
    }
}
