package dev.jxen.storage;

import dev.jxen.system.Dom0Paths;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.ToolCheck;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A filesystem's size is read from its superblock's bytes, on real ext4, xfs and btrfs images: a guest's
 * volume label that reads as a field in dumpe2fs's report changes nothing, and bytes that are no
 * superblock give no size.
 */
class FilesystemSizeTest {
    private static final String LABEL = "\nBlock count: 1\n";
    @TempDir
    Path tmp;
    final LocalCommandRunner local = new LocalCommandRunner();

    private Path image(String name, long bytes) throws Exception {
        Path img = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return img;
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
        return out;
    }

    @Test
    void anExtLabelThatReadsAsABlockCountChangesNothing() throws Exception {
        Assumptions.assumeTrue(ToolCheck.find("mkfs.ext4").isPresent(), "needs e2fsprogs");
        Path img = image("disk.img", 32L << 20);
        run("mkfs.ext4", "-q", "-F", "-b", "4096", "-L", LABEL, img.toString());
        String report = run("dumpe2fs", "-h", img.toString());
        assertTrue(report.indexOf("\nBlock count: 1\n") < report.indexOf("\nBlock count:              8192"),
                "dumpe2fs prints the label raw, before the real field, so a reading of its report is fooled: " + report);
        assertEquals(OptionalLong.of(32L << 20), FilesystemSize.of(local, "ext4", img.toString()));
    }

    /** The finding: a grown filesystem with that label was cut back to its old size by the undo of a killed resize. */
    @Test
    void aGrownExtFilesystemWithThatLabelIsNeverCutBack() throws Exception {
        Assumptions.assumeTrue(ToolCheck.find("resize2fs").isPresent(), "needs e2fsprogs");
        Path img = image("disk.img", 32L << 20);
        run("mkfs.ext4", "-q", "-F", "-L", LABEL, img.toString());
        run("e2fsck", "-f", "-p", img.toString());
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        run("resize2fs", img.toString());
        Dom0Paths noXen = Dom0Paths.from(Map.of("JXEN_HYPERVISOR_TYPE", tmp.resolve("no-hypervisor").toString()));
        ShrinkDisk.Outcome o = new ShrinkDisk("web", new GuestStorage.ImageFile(img), 32L << 20, "ext4", noXen).apply(local);
        assertTrue(o.warning() && o.what().contains("its ext4 filesystem spans " + (64L << 20) + " bytes now, past the old size"), o.what());
        assertEquals(64L << 20, Files.size(img));
        run("e2fsck", "-n", "-f", img.toString());
    }

    @Test
    void xfsAndBtrfsSizesAreTheirSuperblocks() throws Exception {
        Assumptions.assumeTrue(ToolCheck.find("mkfs.xfs").isPresent() && ToolCheck.find("mkfs.btrfs").isPresent(), "needs xfsprogs and btrfs-progs");
        Path xfs = image("xfs.img", 320L << 20);
        run("mkfs.xfs", "-q", "-f", "-L", "x", xfs.toString());
        String db = run("xfs_db", "-r", "-f", "-c", "sb 0", "-c", "p dblocks blocksize", xfs.toString());
        long dblocks = Long.parseLong(db.replaceAll("(?s).*dblocks = ([0-9]+).*", "$1"));
        long blocksize = Long.parseLong(db.replaceAll("(?s).*blocksize = ([0-9]+).*", "$1"));
        assertEquals(OptionalLong.of(dblocks * blocksize), FilesystemSize.of(local, "xfs", xfs.toString()));
        Path btrfs = image("btrfs.img", 200L << 20);
        run("mkfs.btrfs", "-q", "-f", "-L", "\ndev_item.total_bytes 1\n", btrfs.toString());
        assertEquals(OptionalLong.of(200L << 20), FilesystemSize.of(local, "btrfs", btrfs.toString()));
        assertEquals(OptionalLong.empty(), FilesystemSize.of(local, "ext4", btrfs.toString()), "a btrfs is no ext4");
        assertEquals(OptionalLong.empty(), FilesystemSize.of(local, "btrfs", xfs.toString()), "an xfs is no btrfs");
    }

    @Test
    void bytesThatAreNoSuperblockGiveNoSize() throws Exception {
        assertEquals(OptionalLong.of(1L << 30), FilesystemSize.parse("ext4", Superblocks.od(Superblocks.ext4(1L << 30))));
        assertEquals(OptionalLong.of(1L << 30), FilesystemSize.parse("xfs", Superblocks.od(Superblocks.xfs(1L << 30))));
        String whole = Superblocks.od(Superblocks.ext4(1L << 30));
        assertEquals(OptionalLong.empty(), FilesystemSize.parse("ext4", whole.substring(0, whole.length() - 4)), "one byte short");
        assertEquals(OptionalLong.empty(), FilesystemSize.parse("ext4", whole + " 00"), "one byte more");
        assertEquals(OptionalLong.empty(), FilesystemSize.parse("ext4", whole.replaceFirst("00", "Block count: 1")), "text among the bytes");
        assertEquals(OptionalLong.empty(), FilesystemSize.parse("ext4", Superblocks.od(new byte[1024])), "no magic");
        byte[] huge = Superblocks.ext4(1L << 30);
        huge[0x18] = 9;
        assertEquals(OptionalLong.empty(), FilesystemSize.parse("ext4", Superblocks.od(huge)), "a block size ext4 has not");
        assertEquals(OptionalLong.empty(), FilesystemSize.of(local, "ext4", tmp.resolve("missing").toString()));
        assertFalse(Ext4Superblock.growsInPlace(new byte[1024], 1L << 30));
    }

    @Test
    void anExtFilesystemGrowsInPlaceOnlyWithinItsReservedDescriptorBlocks() {
        byte[] sb = Superblocks.ext4(1L << 30);
        assertTrue(Ext4Superblock.growsInPlace(sb, 4L << 30));
        // 4K blocks, 32768 a group, 128 descriptors a block: 1024 reserved descriptor blocks cover 1025 * 128 groups of 128M
        assertTrue(Ext4Superblock.growsInPlace(sb, 1025L * 128 * (128L << 20)));
        assertFalse(Ext4Superblock.growsInPlace(sb, 1025L * 128 * (128L << 20) + (128L << 20)));
        sb[0x5C] = 0; // no resize_inode: resize2fs moves the blocks after the descriptors
        assertFalse(Ext4Superblock.growsInPlace(sb, 2L << 30));
        sb[0x60] = 0x10; // meta_bg: the descriptors of new groups are in the new groups
        assertTrue(Ext4Superblock.growsInPlace(sb, 1L << 40));
    }
}
