package dev.jxen.customize;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShaCryptTest {
    @Test
    void matchesTheSpecificationsTestVectors() {
        // from "Unix crypt using SHA-256 and SHA-512" (Drepper), default rounds
        assertEquals("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
                ShaCrypt.hash("Hello world!", "sha512", "saltstring"));
        assertEquals("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5",
                ShaCrypt.hash("Hello world!", "sha256", "saltstring"));
    }

    @Test
    void matchesOpensslForOtherLengths() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        for (String pw : new String[] {"a", "correct horse battery staple", "x".repeat(80)}) {
            Process p = new ProcessBuilder("openssl", "passwd", "-6", "-salt", "abcdefgh12345678", "-stdin").start();
            p.getOutputStream().write(pw.getBytes());
            p.getOutputStream().close();
            String expected = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            assertEquals(expected, ShaCrypt.hash(pw, "sha512", "abcdefgh12345678"));
        }
    }

    @Test
    void freshSaltEachTime() {
        String a = ShaCrypt.hash("pw", "sha512");
        assertTrue(a.startsWith("$6$"));
        assertNotEquals(a, ShaCrypt.hash("pw", "sha512"));
    }
}
