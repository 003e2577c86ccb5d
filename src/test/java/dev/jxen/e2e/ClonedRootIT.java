package dev.jxen.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Roots cloned from the base-tree cache's ready image, on an XFS filesystem made in a file, where the
 * clone is a reflink: the second guest's root shares its blocks with the cached image, has its own
 * UUID, passes fsck, and holds what a root unpacked from the tarball holds.
 */
@Tag("root")
@Tag("mirror")
class ClonedRootIT {
    @TempDir
    static Path tmp;
    static Path xfs;
    static Path cache;
    static Jxen jxen;

    @BeforeAll
    static void setUp() throws Exception {
        Jxen.assumeRoot();
        Path file = tmp.resolve("xfs.img");
        sh("truncate", "-s", "16G", file.toString());
        sh("mkfs.xfs", "-q", "-f", file.toString());
        xfs = Files.createDirectories(tmp.resolve("xfs"));
        sh("mount", "-o", "loop", file.toString(), xfs.toString());
        jxen = new Jxen(Files.createDirectories(xfs.resolve("world")));
        cache = seededCache("cache");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (xfs != null) {
            sh("umount", xfs.toString());
        }
    }

    /** A cache on the XFS with the shared test cache's tarballs and manifests, and no ready image. */
    private static Path seededCache(String name) throws Exception {
        Path dir = Files.createDirectories(xfs.resolve(name));
        try (Stream<Path> s = Files.list(Jxen.SHARED_CACHE)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}\\.(json|tar\\.zst)")).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    private static String sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
        return out;
    }

    private static List<String> args(String host, Path cacheDir, String... more) {
        List<String> a = jxen.createArgs(host, more);
        a.set(a.indexOf("--base-cache-dir") + 1, cacheDir.toString());
        return a;
    }

    /** x1 fills the cache's ready image, x2's root is cloned from it. */
    private record Clones(Jxen.Result first, Jxen.Result second) {
    }

    static final Shared<Clones> CLONES = new Shared<>(() -> {
        Jxen.Result first = jxen.run("jxen-create-image", args("x1", cache));
        assertEquals(0, first.exit(), first.all());
        Jxen.Result second = jxen.run("jxen-create-image", args("x2", cache));
        assertEquals(0, second.exit(), second.all());
        return new Clones(first, second);
    });

    @Test
    void aSecondGuestsRootIsAReflinkCloneWithItsOwnUuid() throws Exception {
        Jxen.Result plan = jxen.run("jxen-create-image", args("x0", cache, "--dry-run"));
        assertEquals(0, plan.exit(), plan.all());
        assertTrue(plan.out().contains(jxen.image("x0", "disk") + " is a reflink clone (xfs) of it, grown to 2G with a new UUID"), plan.out());

        Clones made = CLONES.get();
        Path image;
        try (Stream<Path> s = Files.list(cache)) {
            image = s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}\\.ext4")).findFirst().orElseThrow(
                    () -> new AssertionError("the first create left no ready image in the cache: " + made.first().out()));
        }
        Jxen.Result second = made.second();
        Path disk = jxen.image("x2", "disk");
        assertTrue(second.out().contains("created " + disk + " (2G) as a reflink clone of the cached base image"), second.out());
        assertTrue(sh("filefrag", "-v", disk.toString()).contains("shared"), "the clone shares no extent with the cached image");
        assertEquals(2L << 30, Files.size(disk));
        sh("e2fsck", "-fn", disk.toString());
        String uuid = sh("blkid", "-o", "value", "-s", "UUID", disk.toString()).strip();
        assertNotEquals(sh("blkid", "-o", "value", "-s", "UUID", image.toString()).strip(), uuid);
        assertNotEquals(sh("blkid", "-o", "value", "-s", "UUID", jxen.image("x1", "disk").toString()).strip(), uuid);
        assertEquals("disk", sh("blkid", "-o", "value", "-s", "LABEL", disk.toString()).strip());
        Leftovers.assertNothingMounted(jxen);
    }

    @Test
    void aClonedRootHoldsWhatAnUnpackedOneHolds() throws Exception {
        assertTrue(CLONES.get().second().out().contains("as a reflink clone of the cached base image"), CLONES.get().second().out());
        Path tarballsOnly = seededCache("cache-without-images");
        Jxen.Result unpacked = jxen.run("jxen-create-image", args("x3", tarballsOnly));
        assertEquals(0, unpacked.exit(), unpacked.all());
        assertTrue(unpacked.out().contains("unpacking the cached base tree"), unpacked.out());
        List<String> cloned;
        List<String> fromTar;
        String capsCloned;
        String capsTar;
        try (GuestImage a = GuestImage.mount(jxen.image("x2", "disk"), tmp.resolve("mnt-x2"));
             GuestImage b = GuestImage.mount(jxen.image("x3", "disk"), tmp.resolve("mnt-x3"))) {
            cloned = listing(a.root);
            fromTar = listing(b.root);
            capsCloned = sh("getcap", "-r", a.root + "/usr").replace(a.root.toString(), "");
            capsTar = sh("getcap", "-r", b.root + "/usr").replace(b.root.toString(), "");
        }
        assertTrue(cloned.size() > 10_000, "a base system: " + cloned.size());
        List<String> onlyCloned = new ArrayList<>(cloned);
        onlyCloned.removeAll(fromTar);
        List<String> onlyTar = new ArrayList<>(fromTar);
        onlyTar.removeAll(cloned);
        assertEquals(List.of(), onlyCloned, "only in the cloned root; only in the unpacked one: " + onlyTar);
        assertEquals(List.of(), onlyTar);
        assertEquals(capsTar, capsCloned);
        Leftovers.assertNothingMounted(jxen);
    }

    /**
     * Every path with its type, mode, owner and group, and a file's size or a link's target; the host
     * keys (whose length varies with the key) and lost+found (which mkfs sizes) left out.
     */
    private static List<String> listing(Path root) throws Exception {
        List<String> out = new ArrayList<>(List.of(sh("find", root.toString(), "-xdev", "-path", root + "/etc/ssh/ssh_host_*", "-prune",
                "-o", "-path", root + "/lost+found", "-prune", "-o", "-printf", "%P %y %m %U %G %l\\n").split("\n")));
        out.addAll(List.of(sh("find", root.toString(), "-xdev", "-type", "f", "-not", "-path", root + "/etc/ssh/ssh_host_*",
                "-printf", "%P %s\\n").split("\n")));
        return out;
    }
}
