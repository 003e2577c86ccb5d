package dev.jxen.installer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The preseed goes after the initrd as a gzip'd newc cpio archive that cpio(1) reads; the initrd's own bytes stay as they were. */
class PreseedInitrdTest {
    @TempDir
    Path tmp;

    private String sh(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), command + ": " + out);
        return out;
    }

    @Test
    void appendsAnArchiveHoldingPreseedCfgAndLeavesTheInitrdIntact() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree/etc"));
        Files.writeString(tree.resolve("issue"), "Debian GNU/Linux installer\n");
        Files.writeString(tmp.resolve("tree/init"), "#!/bin/sh\n");
        sh("cd tree && find . | cpio --quiet -o -H newc | gzip -9n > ../initrd.gz");
        Path initrd = tmp.resolve("initrd.gz");
        byte[] original = Files.readAllBytes(initrd);
        String preseed = "d-i netcfg/get_hostname string web1\nd-i passwd/root-password-crypted password $6$salt$hash\n";

        PreseedInitrd.write(initrd, preseed, tmp.resolve("initrd-preseed.gz"));

        byte[] out = Files.readAllBytes(tmp.resolve("initrd-preseed.gz"));
        assertArrayEquals(original, Arrays.copyOf(out, original.length), "the installer's initrd is a byte-for-byte prefix");
        assertArrayEquals(original, Files.readAllBytes(initrd), "the initrd itself is not changed");
        Files.write(tmp.resolve("appended.gz"), Arrays.copyOfRange(out, original.length, out.length));
        assertEquals(List.of("preseed.cfg"), sh("zcat appended.gz | cpio --quiet -t").lines().toList());
        assertEquals(preseed, sh("zcat appended.gz | cpio --quiet -i --to-stdout preseed.cfg"));
        assertTrue(sh("zcat appended.gz | cpio --quiet -tv").startsWith("-rw-r--r--"), "a regular file, mode 0644");
        assertEquals(List.of(".", "etc", "etc/issue", "init"),
                sh("zcat initrd-preseed.gz | cpio --quiet -t").lines().sorted().toList(), "the original archive reads as before");
    }
}
