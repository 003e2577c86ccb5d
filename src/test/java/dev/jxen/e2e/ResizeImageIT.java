package dev.jxen.e2e;

import dev.jxen.system.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real resizes through bin/jxen-resize-image of image-file guests made by jxen-create-image: an ext4 root,
 * an xfs root, a btrfs root, a fully allocated image; after each, the filesystem is clean, larger, and its files are
 * what they were. A failure after the grow (injected, or resize2fs failing) leaves the image as it was; a
 * running guest (a stand-in xl that lists it) and a shrink are refused with nothing touched.
 */
@Tag("root")
@Tag("mirror")
class ResizeImageIT {
    private static final long M = 1L << 20;
    @TempDir
    static Path tmp;
    static Jxen jxen;
    /** An ext4 root of 2G (sparse), made once; tests that grow it read its size first. */
    static final Shared<Jxen.Result> EXT4 = new Shared<>(() -> jxen.create("re4"));
    static final Shared<Jxen.Result> XFS = new Shared<>(() -> jxen.create("rx1", "--fs", "xfs"));

    @BeforeAll
    static void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
    }

    private static List<String> args(String host, String... more) {
        List<String> a = new ArrayList<>(List.of("--config-dir", jxen.config.toString(), "--hostname", host, "--output", jxen.output.toString(),
                "--log", jxen.log(host).toString()));
        a.addAll(List.of(more));
        return a;
    }

    private static Jxen.Result resize(String host, String... more) throws Exception {
        return jxen.run("jxen-resize-image", args(host, more));
    }

    private static String sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", argv) + " exited with " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /** Its filesystem's size by its superblock, read the way e2fsprogs and xfsprogs read it. */
    private static long filesystemBytes(Path image, String fs) throws Exception {
        if (fs.equals("btrfs")) {
            return field(sh("btrfs", "inspect-internal", "dump-super", image.toString()), "dev_item.total_bytes");
        }
        if (fs.equals("xfs")) {
            String out = sh("xfs_db", "-r", "-f", "-c", "sb 0", "-c", "p dblocks blocksize", image.toString());
            return field(out, "dblocks = ") * field(out, "blocksize = ");
        }
        String out = sh("dumpe2fs", "-h", image.toString());
        return field(out, "Block count:") * field(out, "Block size:");
    }

    private static long field(String out, String name) {
        return Long.parseLong(out.lines().filter(l -> l.startsWith(name)).findFirst().orElseThrow().substring(name.length()).strip());
    }

    private static void assertClean(Path image, String fs) throws Exception {
        if (fs.equals("btrfs")) {
            sh("btrfs", "check", "--readonly", image.toString());
        } else if (fs.equals("xfs")) {
            sh("xfs_repair", "-n", "-f", image.toString());
        } else {
            sh("e2fsck", "-n", "-f", image.toString());
        }
    }

    /** A digest of every regular file under etc/ and usr/bin/ of the guest, names and contents. */
    private static String files(Path image, String name) throws Exception {
        try (GuestImage g = GuestImage.mount(image, tmp.resolve("mnt-" + name))) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            int n = 0;
            for (String dir : List.of("etc", "usr/bin")) {
                List<Path> all;
                try (Stream<Path> s = Files.walk(g.root.resolve(dir))) {
                    all = s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
                }
                for (Path p : all) {
                    d.update(g.root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                    d.update(Files.readAllBytes(p));
                    n++;
                }
            }
            assertTrue(n > 200, "too few files to tell anything: " + n);
            return HexFormat.of().formatHex(d.digest()) + " (" + n + " files)";
        }
    }

    private void growsAndStaysClean(String host, String fs, String add) throws Exception {
        Path img = jxen.image(host, "disk");
        long before = Files.size(img);
        long fsBefore = filesystemBytes(img, fs);
        String filesBefore = files(img, host + "-before");
        Jxen.Result r = resize(host, "--add", add);
        assertEquals(0, r.exit(), r.all());
        long added = dev.jxen.config.Size.parse(add, true).bytes();
        assertEquals(before + added, Files.size(img));
        assertTrue(r.out().contains("grew " + host + "'s /: " + img + " (xvda2, mounted at /)"), r.out());
        assertClean(img, fs);
        long fsAfter = filesystemBytes(img, fs);
        assertTrue(fsAfter > fsBefore && fsAfter <= before + added && fsAfter > before + added - 64 * M,
                fs + " spans " + fsAfter + " bytes, was " + fsBefore + ", the image has " + (before + added));
        assertEquals(filesBefore, files(img, host + "-after"), "the guest's files changed");
        Leftovers.assertNothingMounted(jxen);
        assertFalse(Files.exists(dev.jxen.pipeline.RunJournal.fileFor(jxen.state(), host)), "the run's journal left behind");
    }

    @Test
    void anExt4RootGrowsCleanWithItsFilesIntact() throws Exception {
        assertEquals(0, EXT4.get().exit(), EXT4.get().all());
        growsAndStaysClean("re4", "ext4", "512M");
    }

    @Test
    void anXfsRootGrowsThroughAMountOfItsOwn() throws Exception {
        assertEquals(0, XFS.get().exit(), XFS.get().all());
        growsAndStaysClean("rx1", "xfs", "1G");
        assertTrue(Files.readString(jxen.log("rx1")).contains("xfs_growfs " + jxen.work), "xfs_growfs ran on a mount under the work directory");
    }

    @Test
    void aBtrfsRootGrowsThroughAMountOfItsOwn() throws Exception {
        Jxen.Result made = jxen.create("rb1", "--fs", "btrfs");
        assertEquals(0, made.exit(), made.all());
        growsAndStaysClean("rb1", "btrfs", "768M");
        assertTrue(Files.readString(jxen.log("rb1")).contains("btrfs filesystem resize max " + jxen.work), "resized on a mount under the work directory");
    }

    @Test
    void aFullyAllocatedImageStaysFullyAllocated() throws Exception {
        Jxen.Result made = jxen.create("rf1", "--image", "full", "--install=0", "--size", "512M", "--noswap");
        assertEquals(0, made.exit(), made.all());
        Path img = jxen.image("rf1", "disk");
        // mkfs punches out what it discards, so the image a create calls full is sparse by now: allocated whole here, as an
        // image copied with --sparse=never is
        sh("fallocate", "--length", String.valueOf(512 * M), img.toString());
        Jxen.Result r = resize("rf1", "--add", "256");
        assertEquals(0, r.exit(), r.all());
        assertEquals(768 * M, Files.size(img));
        String[] st = sh("stat", "--format=%b %B", img.toString()).strip().split(" ");
        assertTrue(Long.parseLong(st[0]) * Long.parseLong(st[1]) >= 768 * M, "not allocated whole: " + String.join(" ", st));
        assertTrue(Files.readString(jxen.log("rf1")).contains("fallocate --length " + 768 * M + " " + img), "grown with fallocate");
        assertClean(img, "ext4");
        assertEquals(768 * M, filesystemBytes(img, "ext4"));
    }

    @Test
    void aFaultAfterTheGrowTruncatesTheImageBack() throws Exception {
        assertEquals(0, EXT4.get().exit(), EXT4.get().all());
        Path img = jxen.image("re4", "disk");
        long before = Files.size(img);
        long fsBefore = filesystemBytes(img, "ext4");
        jxen.env("JXEN_FAULT_AFTER_STAGE", "grow disk");
        Jxen.Result r;
        try {
            r = resize("re4", "--add", "1G");
        } finally {
            jxen.env("JXEN_FAULT_AFTER_STAGE", "");
        }
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.all().contains("fault injected after stage 'grow disk'"), r.all());
        assertTrue(Files.readString(jxen.log("re4")).contains("truncated " + img + " back to " + before + " bytes (its ext4 filesystem spans "
                + fsBefore + ")"), "the log says what the undo did");
        assertEquals(before, Files.size(img), "the image was not truncated back");
        assertEquals(fsBefore, filesystemBytes(img, "ext4"));
        assertClean(img, "ext4");
        Leftovers.assertNothingMounted(jxen);
        assertFalse(Files.exists(dev.jxen.pipeline.RunJournal.fileFor(jxen.state(), "re4")), "the run's journal left behind");
    }

    @Test
    void aFailingResize2fsTruncatesTheImageBack() throws Exception {
        assertEquals(0, EXT4.get().exit(), EXT4.get().all());
        Path img = jxen.image("re4", "disk");
        long before = Files.size(img);
        Path bin = Files.createDirectories(tmp.resolve("failing-resize2fs"));
        Path fake = Files.writeString(bin.resolve("resize2fs"), "#!/bin/sh\necho 'resize2fs: No space left on device' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        jxen.env("PATH", bin + ":" + System.getenv("PATH"));
        Jxen.Result r;
        try {
            r = resize("re4", "--add", "1G");
        } finally {
            jxen.env("PATH", System.getenv("PATH"));
        }
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.all().contains("resize2fs " + img + "' exited with status 1: resize2fs: No space left on device; truncated " + img
                + " back to " + before + " bytes"), "the message says exactly what became of the disk: " + r.all());
        assertEquals(before, Files.size(img), "the image was not truncated back");
        assertClean(img, "ext4");
    }

    @Test
    void aRunningGuestIsRefusedAndNothingTouched() throws Exception {
        assertEquals(0, EXT4.get().exit(), EXT4.get().all());
        Path img = jxen.image("re4", "disk");
        long before = Files.size(img);
        long modified = Files.getLastModifiedTime(img).toMillis();
        Path xl = Files.writeString(tmp.resolve("xl-running-re4"), "#!/bin/sh\n[ \"$1\" = list ] || exit 1\n"
                + "echo 'Name                                        ID   Mem VCPUs\tState\tTime(s)'\n"
                + "echo 'Domain-0                                     0   768     2     r-----      10.0'\n"
                + "echo 're4                                          3   256     1     -b----       0.1'\n");
        Files.setPosixFilePermissions(xl, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path xen = Files.writeString(tmp.resolve("hypervisor-xen"), "xen\n");
        jxen.env("JXEN_XL", xl.toString()).env("JXEN_HYPERVISOR_TYPE", xen.toString());
        Jxen.Result r;
        Jxen.Result forced;
        try {
            r = resize("re4", "--add", "1G");
            forced = resize("re4", "--add", "1G", "--force");
        } finally {
            jxen.env("JXEN_XL", "/nonexistent/xl").env("JXEN_HYPERVISOR_TYPE", tmp.resolve("no-hypervisor").toString());
        }
        assertEquals(3, r.exit(), r.all());
        assertTrue(r.err().contains("re4 is running"), r.err());
        assertEquals(3, forced.exit(), forced.all());
        assertTrue(forced.err().contains("warning: --force changes nothing"), forced.err());
        assertEquals(before, Files.size(img));
        assertEquals(modified, Files.getLastModifiedTime(img).toMillis(), "the image was written to");
    }

    @Test
    void aShrinkIsRefusedAndTheDryRunNamesTheDiskAndCommands() throws Exception {
        assertEquals(0, EXT4.get().exit(), EXT4.get().all());
        Path img = jxen.image("re4", "disk");
        long before = Files.size(img);
        Jxen.Result shrink = resize("re4", "--size", "1G");
        assertEquals(2, shrink.exit(), shrink.all());
        assertTrue(shrink.err().contains("never shrinks one"), shrink.err());
        Jxen.Result plan = resize("re4", "--add", "1G", "--dry-run");
        assertEquals(0, plan.exit(), plan.all());
        assertTrue(plan.out().contains("run     truncate --size " + (before + 1024 * M) + " " + img), plan.out());
        assertTrue(plan.out().contains("run     e2fsck -f -p " + img), plan.out());
        assertTrue(plan.out().contains("run     resize2fs " + img), plan.out());
        Jxen.Result json = resize("re4", "--add", "1G", "--dry-run", "--json");
        assertEquals(0, json.exit(), json.all());
        Object doc = Json.read(json.out().strip());
        assertTrue(doc instanceof java.util.Map<?, ?> m && img.toString().equals(m.get("disk")) && "xvda2".equals(m.get("vdev"))
                && Long.valueOf(before + 1024 * M).equals(((Number) m.get("new_bytes")).longValue()), json.out());
        assertEquals(before, Files.size(img));
    }
}
