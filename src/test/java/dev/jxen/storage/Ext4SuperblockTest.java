package dev.jxen.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A ready image is cloned only when it is as long as its filesystem says. */
class Ext4SuperblockTest {
    @TempDir
    Path tmp;

    @Test
    void aWholeImageMatchesAndACutOrForeignOneDoesNot() throws Exception {
        Path img = tmp.resolve("base.ext4");
        Process mkfs = new ProcessBuilder("mke2fs", "-q", "-F", "-t", "ext4", "-b", "4096", img.toString(), "40000k")
                .redirectErrorStream(true).start();
        assertEquals(0, mkfs.waitFor(), new String(mkfs.getInputStream().readAllBytes()));
        assertEquals(Optional.empty(), Ext4Superblock.mismatch(img));
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(f.length() - 4096);
        }
        String cut = Ext4Superblock.mismatch(img).orElseThrow();
        assertTrue(cut.contains((40000L * 1024 - 4096) + " bytes") && cut.contains(String.valueOf(40000L * 1024)), cut);
        Path other = Files.write(tmp.resolve("other"), new byte[8192]);
        assertEquals(Optional.of("no ext4 superblock"), Ext4Superblock.mismatch(other));
        assertEquals(Optional.of("no ext4 superblock"), Ext4Superblock.mismatch(Files.write(tmp.resolve("short"), new byte[100])));
    }
}
