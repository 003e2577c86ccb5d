package dev.jxen.contact;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar the launchers run speaks ssh-ed25519: JSch keeps its Ed25519 signature for Java 15 and later
 * under META-INF/versions, which a jar without "Multi-Release: true" hides, so --wait-ssh took an
 * ed25519-only guest for one that never answered.
 */
class ShadedJarIT {
    /** Run in a JVM of its own, on the shaded jar alone: makes JSch's ssh-ed25519 signature. */
    public static final class Ed25519 {
        public static void main(String[] args) throws Exception {
            Object s = Class.forName(com.jcraft.jsch.JSch.getConfig("ssh-ed25519")).getDeclaredConstructor().newInstance();
            ((com.jcraft.jsch.Signature) s).init();
            System.out.println("ssh-ed25519 " + s.getClass().getName());
        }
    }

    @Test
    void theShadedJarIsMultiReleaseAndMakesAnEd25519Signature() throws Exception {
        Path jar = Path.of(System.getProperty("jxen.home", "."), "target", "jxen.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is built before the integration tests");
        try (JarFile j = new JarFile(jar.toFile(), true, java.util.zip.ZipFile.OPEN_READ, Runtime.version())) {
            assertTrue(j.isMultiRelease(), "the manifest of " + jar + " says Multi-Release: true");
        }
        Path classes = Path.of(Ed25519.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", jar + ":" + classes, Ed25519.class.getName())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.startsWith("ssh-ed25519 "), out);
    }
}
