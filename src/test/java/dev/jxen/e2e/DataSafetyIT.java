package dev.jxen.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Devices that hold data are not formatted without --force; a create on a filesystem too small for it is refused. */
@Tag("root")
@Tag("mirror")
class DataSafetyIT {
    @TempDir
    Path tmp;
    Jxen jxen;
    final List<String> loops = new ArrayList<>();
    final List<Path> mounts = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Path m : mounts) {
            new ProcessBuilder("umount", m.toString()).inheritIO().start().waitFor();
        }
        for (String l : loops) {
            new ProcessBuilder("losetup", "--detach", l).inheritIO().start().waitFor();
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    private Path file(String name, long bytes) throws Exception {
        Path f = tmp.resolve(name);
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(bytes);
        }
        return f;
    }

    private String loopWithExt4() throws Exception {
        Path f = file("dev.img", 1200L << 20);
        run("mkfs.ext4", "-q", "-F", "-L", "precious", f.toString());
        String loop = run("losetup", "--find", "--show", f.toString());
        loops.add(loop);
        return loop;
    }

    @Test
    void aDeviceHoldingAFilesystemIsNotFormattedWithoutForce() throws Exception {
        String dev = loopWithExt4();
        List<String> args = List.of("--config-dir", jxen.config.toString(), "--hostname", "d1", "--image-dev", dev, "--noswap",
                "--dist", "bookworm", "--dhcp", "--output", jxen.output.toString(), "--log", jxen.log("d1").toString(),
                "--base-cache-dir", Jxen.SHARED_CACHE.toString());
        Jxen.Result refused = jxen.run("jxen-create-image", args);
        assertEquals(3, refused.exit(), refused.all());
        assertTrue(refused.err().contains(dev + " holds ext4 at 0x438; formatting would destroy it"), refused.err());
        assertEquals("precious", run("blkid", "-o", "value", "-s", "LABEL", dev), "the device was changed");

        jxen.env("JXEN_FAULT_AFTER_STAGE", "filesystems");
        List<String> forced = new ArrayList<>(args);
        forced.add("--force");
        Jxen.Result r = jxen.run("jxen-create-image", forced);
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.out().contains("--force: formatting although " + dev + " holds ext4"), r.out());
        assertEquals("disk", run("blkid", "-o", "value", "-s", "LABEL", dev), "--force did not format it");
    }

    @Test
    void aCreateOnAFilesystemTooSmallForItIsRefusedUpFront() throws Exception {
        Path small = tmp.resolve("small");
        Files.createDirectories(small);
        Path backing = file("small.img", 300L << 20);
        run("mkfs.ext4", "-q", "-F", backing.toString());
        run("mount", "-o", "loop", backing.toString(), small.toString());
        mounts.add(small);
        Jxen.Result r = jxen.run("jxen-create-image", List.of("--config-dir", jxen.config.toString(), "--hostname", "s1", "--dir", small.toString(),
                "--dist", "bookworm", "--size", "2G", "--swap", "128M", "--dhcp", "--output", jxen.output.toString(),
                "--log", jxen.log("s1").toString(), "--base-cache-dir", Jxen.SHARED_CACHE.toString()));
        assertEquals(3, r.exit(), r.all());
        assertTrue(r.err().matches("(?s).*" + small + " has \\d+M free; this guest's images need about 1024M written to them.*"), r.err());
        assertEquals(false, Files.exists(small.resolve("domains/s1")));
    }
}
