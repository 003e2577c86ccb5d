package dev.jxen.storage;

import dev.jxen.config.Size;
import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check before a resize, on real images: a clean filesystem passes, a damaged one and one jxen does not grow are refused untouched. */
class FilesystemCheckStageTest {
    @TempDir
    Path tmp;
    ResizeRig rig;

    @BeforeEach
    void setUp() {
        rig = ResizeRig.needing(tmp, "mkfs.ext4");
    }

    @Test
    void aCleanExt4IsPreenedAndPasses() throws Exception {
        Path img = rig.ext4();
        RecordingCommandRunner runner = ResizeRig.real(c -> null);
        DiskGrowth g = rig.growth(img, "32", runner);
        rig.run(runner, List.of(new FilesystemCheckStage(g)));
        assertTrue(runner.lines().contains("e2fsck -f -p " + img), runner.lines().toString());
        assertTrue(rig.logged().contains("the ext4 filesystem on " + img + " is clean"), rig.logged().toString());
        assertEquals(32L << 20, Files.size(img));
    }

    @Test
    void aDamagedFilesystemIsRefusedWithNothingGrown() throws Exception {
        Path img = rig.ext4();
        ResizeRig.run("debugfs", "-w", "-R", "clri <2>", img.toString()); // the root directory's inode, wiped
        RecordingCommandRunner runner = ResizeRig.real(c -> null);
        DiskGrowth g = rig.growth(img, "32", runner);
        HostStateException e = assertThrows(HostStateException.class, () -> rig.run(runner, List.of(new FilesystemCheckStage(g))));
        assertTrue(e.getMessage().startsWith("the ext4 filesystem on " + img + " is not clean ('e2fsck -f -p " + img + "' exited with status 4")
                && e.getMessage().endsWith("; nothing was grown"), e.getMessage());
        assertEquals(32L << 20, Files.size(img));
    }

    @Test
    void aSwapDiskIsRefusedByTheChecksAsTheDryRunReportsIt() throws Exception {
        Path img = rig.image("swap.img", 32L << 20, "mkswap");
        RecordingCommandRunner runner = ResizeRig.real(c -> null);
        FilesystemCheckStage stage = new FilesystemCheckStage(rig.growth(img, "32", runner));
        HostStateException e = assertThrows(HostStateException.class, stage::verify);
        assertEquals(img + " (xvda2, mounted at /) holds a swap filesystem: jxen-resize-image grows ext2, ext3, ext4, xfs and btrfs", e.getMessage());
    }

    private static List<PlannedAction> plan(DiskGrowth g) {
        dev.jxen.pipeline.Pipeline.Builder b = dev.jxen.pipeline.Pipeline.builder(false, null);
        b.add(new FilesystemCheckStage(g));
        return b.build().plan().get(0).actions();
    }

    @Test
    void xfsAndBtrfsAreCheckedReadOnly() {
        Path img = tmp.resolve("xfs.img");
        GrowableDisk disk = new GrowableDisk(new GuestStorage.ImageFile(img), "xvda2", "/", "named");
        DiskGrowth x = DiskGrowth.of(disk, new DiskNow(64L << 20, "xfs", true, 1L << 30, "here", 1L << 20), Size.parse("64", true), null);
        assertEquals("xfs_repair -n -f " + img, plan(x).get(1).target());
        DiskGrowth b = DiskGrowth.of(disk, new DiskNow(64L << 20, "btrfs", true, 1L << 30, "here", 1L << 20), Size.parse("64", true), null);
        assertEquals("btrfs check --readonly " + img, plan(b).get(1).target());
    }
}
