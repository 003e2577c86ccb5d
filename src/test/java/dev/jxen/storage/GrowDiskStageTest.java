package dev.jxen.storage;

import dev.jxen.config.Size;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.TestStages;
import dev.jxen.system.CommandResult;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grow of the disk, on real images: truncate or fallocate to the new size; a failure later puts the
 * image back while its filesystem ends within the old size, and a grow that fails half-way puts it back at
 * once, its message saying so. A volume's grow, all or nothing, through the recording runner.
 */
class GrowDiskStageTest {
    @TempDir
    Path tmp;
    ResizeRig rig;

    @BeforeEach
    void setUp() {
        rig = ResizeRig.needing(tmp, "mkfs.ext4");
    }

    @Test
    void aSparseImageGrowsAndALaterFailureTruncatesItBack() throws Exception {
        Path img = rig.ext4();
        RecordingCommandRunner runner = ResizeRig.real(c -> null);
        DiskGrowth g = rig.growth(img, "32", runner);
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new GrowDiskStage("web", g, rig.paths));
        b.add(TestStages.looking("after the grow", ctx -> {
            assertEquals(64L << 20, Files.size(img));
            return null;
        }));
        b.add(TestStages.failing());
        assertThrows(StageFailedException.class, () -> rig.run(runner, b.build()));
        assertTrue(runner.lines().contains("truncate --size " + (64L << 20) + " " + img), runner.lines().toString());
        assertEquals(32L << 20, Files.size(img));
        assertTrue(rig.logged().contains("  truncated " + img + " back to " + (32L << 20) + " bytes (its ext4 filesystem spans " + (32L << 20) + ")"),
                rig.logged().toString());
        ResizeRig.run("e2fsck", "-n", "-f", img.toString());
    }

    @Test
    void aFullyAllocatedImageGrowsWithFallocate() throws Exception {
        Path img = tmp.resolve("full.img");
        ResizeRig.run("fallocate", "--length", String.valueOf(16L << 20), img.toString());
        ResizeRig.run("mkfs.ext4", "-q", "-F", "-E", "nodiscard", img.toString()); // a discard would punch its holes back
        RecordingCommandRunner runner = ResizeRig.real(c -> null);
        rig.run(runner, List.of(new GrowDiskStage("web", rig.growth(img, "16", runner), rig.paths)));
        assertTrue(runner.lines().contains("fallocate --length " + (32L << 20) + " " + img), runner.lines().toString());
        assertEquals(32L << 20, Files.size(img));
        assertEquals(List.of("shrink-disk"), rig.stacks.get(0), "the undo is on the stack before the image grows");
    }

    @Test
    void aGrowThatFailsHalfWayPutsTheImageBackAndSaysSo() throws Exception {
        Path img = rig.ext4();
        RecordingCommandRunner runner = ResizeRig.real(c -> {
            if (!c.argv().get(0).equals("truncate")) {
                return null;
            }
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                f.setLength(48L << 20); // half-way, then the failure
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new CommandResult(1, "", List.of("truncate: failed to truncate: No space left on device"));
        });
        DiskGrowth g = rig.growth(img, "32", runner);
        StageFailedException e = assertThrows(StageFailedException.class, () -> rig.run(runner, List.of(new GrowDiskStage("web", g, rig.paths))));
        assertEquals("stage 'grow disk' failed: 'truncate --size " + (64L << 20) + " " + img + "' exited with status 1: truncate: failed to truncate: "
                + "No space left on device; truncated " + img + " back to " + (32L << 20) + " bytes (its ext4 filesystem spans " + (32L << 20) + ")",
                e.getMessage());
        assertEquals(32L << 20, Files.size(img));
    }

    @Test
    void aVolumeThatFailsToGrowIsAsItWasAndHasNoUndo() {
        RecordingCommandRunner runner = new RecordingCommandRunner(c -> new CommandResult(c.argv().get(0).equals("lvextend") ? 5 : 0, "", List.of()));
        GrowableDisk disk = new GrowableDisk(new GuestStorage.LogicalVolume("vg0", "web-disk"), "xvda2", "/", "named");
        DiskGrowth g = DiskGrowth.of(disk, new DiskNow(1L << 30, "ext4", false, 4L << 30, "volume group vg0", 4L << 20), Size.parse("1G", true), null);
        StageFailedException e = assertThrows(StageFailedException.class, () -> rig.run(runner, List.of(new GrowDiskStage("web", g, rig.paths))));
        assertTrue(e.getMessage().endsWith("' exited with status 5; /dev/vg0/web-disk is as it was (lvextend changes all or nothing)"), e.getMessage());
        assertEquals(List.of("lvextend --size 2147483648b vg0/web-disk"), runner.lines());
        assertTrue(rig.stacks.isEmpty(), "no undo for a volume that did not grow: " + rig.stacks);
    }
}
