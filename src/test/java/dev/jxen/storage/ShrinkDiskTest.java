package dev.jxen.storage;

import dev.jxen.system.RecordingCommandRunner;
import dev.jxen.system.UndoKinds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A grown disk is put back only while nothing uses it and its filesystem still ends within the old size; what it did is said exactly. */
class ShrinkDiskTest {
    @TempDir
    Path tmp;

    @Test
    void itIsJournaledAndReadBackWithTheGuestsName() throws Exception {
        ResizeRig rig = new ResizeRig(tmp);
        ShrinkDisk back = new ShrinkDisk("web", new GuestStorage.ImageFile(tmp.resolve("disk.img")), 2L << 20, "ext4", rig.paths);
        ShrinkDisk again = (ShrinkDisk) new UndoKinds().add(ShrinkDisk.KIND, a -> ShrinkDisk.from(a, rig.paths)).make(back.kind(), back.args());
        assertEquals(back, again);
    }

    @Test
    void anImageIsTruncatedBackOnlyWhileItsFilesystemEndsWithinTheOldSizeAndNobodyHoldsIt() throws Exception {
        ResizeRig rig = new ResizeRig(tmp);
        Path img = rig.image("disk.img", 3L << 20);
        long[] fsBytes = {3L << 20};
        RecordingCommandRunner od = new RecordingCommandRunner(c -> Superblocks.ext4Answer(fsBytes[0]));
        ShrinkDisk back = new ShrinkDisk("web", new GuestStorage.ImageFile(img), 2L << 20, "ext4", rig.paths);
        ShrinkDisk.Outcome grown = back.apply(od);
        assertTrue(grown.warning() && grown.what().endsWith("not cut back to 2097152 bytes: its ext4 filesystem spans 3145728 bytes now, past the old "
                + "size; nothing on it is lost, and it stays larger (its filesystem may not fill it yet: grow that later with jxen-resize-image, "
                + "the guest stopped)"), grown.what());
        assertEquals(3L << 20, Files.size(img));
        fsBytes[0] = 2L << 20;
        try (FileChannel held = FileChannel.open(img, StandardOpenOption.READ)) {
            ShrinkDisk.Outcome busy = back.apply(od);
            assertTrue(busy.warning() && busy.what().contains(": process " + ProcessHandle.current().pid() + " (java) has " + img + " open; "), busy.what());
            assertEquals(3L << 20, Files.size(img), "cut under a process that has it open");
        }
        assertEquals(new ShrinkDisk.Outcome(false, "truncated " + img + " back to 2097152 bytes (its ext4 filesystem spans 2097152)"), back.apply(od));
        assertEquals(2L << 20, Files.size(img));
        assertEquals(new ShrinkDisk.Outcome(false, img + " has its old size of 2097152 bytes already; nothing to put back"), back.apply(od));
        assertEquals(List.of("od", "od"), od.commands().stream().map(c -> c.argv().get(0)).toList(), "no xl on a machine without Xen, no superblock read of a disk in use");
    }

    @Test
    void aVolumeWhoseSuperblockCannotBeReadIsLeftGrown() throws Exception {
        ResizeRig rig = new ResizeRig(tmp);
        RecordingCommandRunner r = new RecordingCommandRunner(c -> new dev.jxen.system.CommandResult(1, "", List.of("od: /dev/zvol/tank/web-disk: No such file")));
        ShrinkDisk.Outcome o = new ShrinkDisk("web", new GuestStorage.ZfsVolume("tank/web-disk"), 1L << 30, "xfs", rig.paths).apply(r);
        assertTrue(o.warning() && o.what().contains(": its xfs superblock cannot be read ('od -An -v -tx1 -j 0 -N 16 -- /dev/zvol/tank/web-disk')"), o.what());
        assertTrue(r.lines().stream().noneMatch(l -> l.startsWith("zfs")), r.lines().toString());
    }
}
