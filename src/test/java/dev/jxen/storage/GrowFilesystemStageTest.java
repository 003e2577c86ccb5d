package dev.jxen.storage;

import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grow of the filesystem after the disk's: resize2fs on real ext4 images (the image's undo kept only while
 * its superblock says the old size, and only for a filesystem that grows in place); xfs and btrfs through a
 * mount the recording runner stands in for (this test does not mount), with their type, on a directory
 * inside a fresh 0700 directory, their unmount on the stack before the mount and the disk's undo off it.
 */
class GrowFilesystemStageTest {
    @TempDir
    Path tmp;
    ResizeRig rig;

    @BeforeEach
    void setUp() {
        rig = ResizeRig.needing(tmp, "resize2fs");
    }

    private StageContext grow(RecordingCommandRunner runner, DiskGrowth g) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<UndoStack.Entry> grown = b.add(new GrowDiskStage("web", g, rig.paths));
        b.add(new GrowFilesystemStage("web", g, grown, rig.paths.workDir()));
        return rig.run(runner, b.build());
    }

    private static Function<Command, CommandResult> failing(String tool) {
        return c -> c.argv().get(0).equals(tool) ? new CommandResult(1, "", List.of(tool + ": Input/output error")) : null;
    }

    @Test
    void anExt4ImageGrowsAndIsClean() throws Exception {
        Path img = rig.ext4();
        ResizeRig.run("e2fsck", "-f", "-p", img.toString());
        RecordingCommandRunner runner = ResizeRig.real(c -> null);
        StageContext ctx = grow(runner, rig.growth(img, "32", runner));
        assertEquals(64L << 20, FilesystemSize.of(runner, "ext4", img.toString()).getAsLong());
        assertEquals(0, ctx.undo().size(), "nothing left to undo");
        assertTrue(runner.lines().containsAll(List.of("resize2fs " + img, "e2fsck -n -f " + img)), runner.lines().toString());
        ResizeRig.run("e2fsck", "-n", "-f", img.toString());
    }

    @Test
    void aFailedResize2fsOfAnImageThatGrowsInPlaceTruncatesItBackAndSaysSo() throws Exception {
        Path img = rig.ext4();
        RecordingCommandRunner runner = ResizeRig.real(failing("resize2fs"));
        StageFailedException e = assertThrows(StageFailedException.class, () -> grow(runner, rig.growth(img, "32", runner)));
        assertEquals("stage 'grow filesystem' failed: 'resize2fs " + img + "' exited with status 1: resize2fs: Input/output error; truncated " + img
                + " back to " + (32L << 20) + " bytes (its ext4 filesystem spans " + (32L << 20) + ")", e.getMessage());
        assertEquals(32L << 20, Files.size(img));
        ResizeRig.run("e2fsck", "-n", "-f", img.toString());
    }

    @Test
    void anImageWhoseResize2fsWouldMoveBlocksIsLeftGrownFromTheStart() throws Exception {
        Path img = rig.image("disk.img", 32L << 20, "mkfs.ext4", "-q", "-F", "-O", "^resize_inode");
        RecordingCommandRunner runner = ResizeRig.real(failing("resize2fs"));
        StageFailedException e = assertThrows(StageFailedException.class, () -> grow(runner, rig.growth(img, "32", runner)));
        assertTrue(e.getMessage().endsWith("; " + img + " is left at its new size of " + (64L << 20) + " bytes: resize2fs moves blocks to grow "
                + "this filesystem (no descriptor blocks reserved for the new size), where they may be past the old end before its superblock says so"),
                e.getMessage());
        assertEquals(64L << 20, Files.size(img));
    }

    @Test
    void aFailedCheckAfterTheGrowLeavesTheGrownImageAndSaysWhy() throws Exception {
        Path img = rig.ext4();
        RecordingCommandRunner runner = ResizeRig.real(c -> c.display().equals("e2fsck -n -f " + img) ? new CommandResult(4, "", List.of()) : null);
        StageFailedException e = assertThrows(StageFailedException.class, () -> grow(runner, rig.growth(img, "32", runner)));
        assertTrue(e.getMessage().endsWith("; " + img + " is left at its new size of " + (64L << 20) + " bytes: resize2fs grew its filesystem to "
                + (64L << 20) + " bytes"), e.getMessage());
        assertEquals(64L << 20, Files.size(img));
    }

    /** A runner for an xfs or btrfs image: blkid says {@code fs}, the mount and the tool are recorded; what the stack held at the mount is kept. */
    private RecordingCommandRunner mounting(String fs, List<String> atMount, boolean mountFails) {
        return ResizeRig.real(c -> {
            switch (c.argv().get(0)) {
                case "blkid":
                    return new CommandResult(0, fs + "\n", List.of());
                case "mount":
                    atMount.addAll(rig.stacks.get(rig.stacks.size() - 1));
                    Path at = Path.of(c.argv().get(c.argv().size() - 1));
                    try {
                        atMount.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(at.getParent())));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return new CommandResult(mountFails ? 32 : 0, "", mountFails ? List.of("mount: wrong fs type") : List.of());
                case "od":
                    return new CommandResult(0, Superblocks.od(Superblocks.xfs(fs.equals("xfs") ? 64L << 20 : 0)), List.of());
                case "xfs_growfs", "btrfs", "xfs_repair", "umount":
                    return new CommandResult(0, "", List.of());
                default:
                    return null;
            }
        });
    }

    @Test
    void anXfsImageIsMountedWithItsTypeInAPrivateDirectoryItsUndoDroppedFirst() throws Exception {
        Path img = rig.image("xfs.img", 32L << 20);
        List<String> atMount = new ArrayList<>();
        RecordingCommandRunner runner = mounting("xfs", atMount, false);
        grow(runner, rig.growth(img, "32", runner));
        Command mount = runner.commands().stream().filter(c -> c.argv().get(0).equals("mount")).findFirst().orElseThrow();
        Path at = Path.of(mount.argv().get(mount.argv().size() - 1));
        assertEquals(List.of("mount", "--no-canonicalize", "-t", "xfs", "-o", "loop,nodev,nosuid,noexec,nouuid", img.toString(), at.toString()), mount.argv());
        assertTrue(at.getParent().getParent().equals(rig.paths.workDir().toRealPath()) && at.getFileName().toString().equals("fs"), at.toString());
        assertEquals(List.of("remove-empty-dirs", "unmount", "rwx------"), atMount, "the unmount is on the stack before the mount, the disk's undo is not");
        assertTrue(runner.lines().contains("xfs_growfs " + at), runner.lines().toString());
        assertFalse(Files.exists(at.getParent()), "the directories are removed");
        assertEquals(64L << 20, Files.size(img));
    }

    @Test
    void aBtrfsImageIsMountedWithoutResumingABalanceAndAFailedMountLeavesItGrown() throws Exception {
        Path img = rig.image("btrfs.img", 32L << 20);
        List<String> atMount = new ArrayList<>();
        RecordingCommandRunner runner = mounting("btrfs", atMount, true);
        StageFailedException e = assertThrows(StageFailedException.class, () -> grow(runner, rig.growth(img, "32", runner)));
        Command mount = runner.commands().stream().filter(c -> c.argv().get(0).equals("mount")).findFirst().orElseThrow();
        assertEquals(List.of("-t", "btrfs", "-o", "loop,nodev,nosuid,noexec,skip_balance"), mount.argv().subList(2, 6));
        assertTrue(e.getMessage().endsWith("exited with status 32: mount: wrong fs type; " + img + " is left at its new size of " + (64L << 20)
                + " bytes: a mounted btrfs may hold the grow in its log before its superblock says so"), e.getMessage());
        assertEquals(64L << 20, Files.size(img));
        assertFalse(Files.exists(Path.of(mount.argv().get(mount.argv().size() - 1)).getParent()), "the directories are removed");
    }
}
