package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.CommandResult;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact LVM commands and their order, through a recording runner: this kernel has no
 * device-mapper, so lvcreate cannot run here (the Xen rig runs them for real).
 */
class LvmVolumeStageTest {
    @TempDir
    Path tmp;

    @Test
    void aFailureAfterLvcreateRemovesEveryVolumeNewestFirst() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=t1", "lvm=vg0", "size=2G", "swap=256M");
        RecordingCommandRunner runner = new RecordingCommandRunner();
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new LvmVolumeStage(spec, StoragePaths.Name.FINAL));
        b.add(TestStages.failing());
        Pipeline p = b.build();
        assertThrows(StageFailedException.class, () -> p.run(runner, new EventHandlers(new Redactor()), new UndoStack()));
        assertEquals(List.of(
                "lvcreate --yes --wipesignatures y --name t1-swap --size 256m vg0",
                "lvcreate --yes --wipesignatures y --name t1-disk --size 2048m vg0",
                "lvremove --yes vg0/t1-disk",
                "lvremove --yes vg0/t1-swap"), runner.lines());
    }

    @Test
    void aFailingSecondLvcreateRemovesOnlyTheFirstVolume() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=t1", "lvm=vg0", "lvm_thin=thin0");
        RecordingCommandRunner runner = new RecordingCommandRunner(c -> c.display().contains("t1-disk") && c.argv().get(0).equals("lvcreate")
                ? new CommandResult(5, "", List.of("  Volume group \"vg0\" has insufficient free space"))
                : new CommandResult(0, "", List.of()));
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new LvmVolumeStage(spec, StoragePaths.Name.FINAL));
        Pipeline p = b.build();
        StageFailedException e = assertThrows(StageFailedException.class,
                () -> p.run(runner, new EventHandlers(new Redactor()), new UndoStack()));
        assertEquals(List.of(
                "lvcreate --yes --thin --virtualsize 512m --name t1-swap vg0/thin0",
                "lvcreate --yes --thin --virtualsize 4096m --name t1-disk vg0/thin0",
                "lvremove --yes vg0/t1-swap"), runner.lines());
        assertEquals(true, e.getMessage().contains("insufficient free space"), e.getMessage());
    }

    /** A cached ready image of the base, 1 GiB sparse, as the base-tree cache keeps it. */
    private RootClone cachedImage() throws Exception {
        Path image = tmp.resolve("cache/0123456789abcdef0123.img");
        java.nio.file.Files.createDirectories(image.getParent());
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        return new RootClone(image, "0123456789abcdef0123456789abcdef");
    }

    private Pipeline thinClone(ImageSpec spec, RootClone from, boolean fail) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        var clone = b.add(TestStages.giving("base image", java.util.Optional.of(from)));
        b.add(new LvmVolumeStage(spec, StoragePaths.Name.FINAL, clone, tmp.resolve("locks")));
        if (fail) {
            b.add(TestStages.failing());
        }
        return b.build();
    }

    @Test
    void theFirstThinCloneFillsTheBaseVolumeOnceThenSnapshotsIt() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=t1", "lvm=vg0", "lvm_thin=thin0", "size=4G", "swap=256M");
        RootClone from = cachedImage();
        // no base volume yet: lvs answers 5 for it (and for a left-over fill)
        RecordingCommandRunner runner = new RecordingCommandRunner(c -> c.argv().get(0).equals("lvs")
                ? new CommandResult(5, "", List.of("  Failed to find logical volume")) : new CommandResult(0, "", List.of()));
        thinClone(spec, from, false).run(runner, new EventHandlers(new Redactor()), new UndoStack());
        assertEquals(List.of(
                "lvcreate --yes --thin --virtualsize 256m --name t1-swap vg0/thin0",
                "lvs --noheadings -o lv_name vg0/jxen-base-0123456789abcdef",
                "lvs --noheadings -o lv_name vg0/jxen-base-0123456789abcdef-filling",
                "lvcreate --yes --thin --virtualsize 1024m --name jxen-base-0123456789abcdef-filling vg0/thin0",
                "dd if=" + from.image() + " of=/dev/vg0/jxen-base-0123456789abcdef-filling bs=4M conv=sparse,fsync status=none",
                "lvchange --yes --permission r vg0/jxen-base-0123456789abcdef-filling",
                "lvrename vg0 jxen-base-0123456789abcdef-filling jxen-base-0123456789abcdef",
                "lvcreate --yes --snapshot --setactivationskip n --permission rw --name t1-disk vg0/jxen-base-0123456789abcdef",
                "lvextend --yes --size 4096m vg0/t1-disk",
                "resize2fs -f /dev/vg0/t1-disk",
                "tune2fs -U random -L disk /dev/vg0/t1-disk"), runner.lines());
    }

    @Test
    void aFailureAfterAThinCloneRemovesTheGuestsVolumesAndKeepsTheBase() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=t2", "lvm=vg0", "lvm_thin=thin0", "size=4G", "noswap");
        RecordingCommandRunner runner = new RecordingCommandRunner();
        assertThrows(StageFailedException.class, () -> thinClone(spec, cachedImage(), true).run(runner, new EventHandlers(new Redactor()), new UndoStack()));
        assertEquals(List.of(
                "lvs --noheadings -o lv_name vg0/jxen-base-0123456789abcdef",
                "lvcreate --yes --snapshot --setactivationskip n --permission rw --name t2-disk vg0/jxen-base-0123456789abcdef",
                "lvextend --yes --size 4096m vg0/t2-disk",
                "resize2fs -f /dev/vg0/t2-disk",
                "tune2fs -U random -L disk /dev/vg0/t2-disk",
                "lvremove --yes vg0/t2-disk"), runner.lines(), "the base volume is the cache's, not the guest's");
    }

    @Test
    void aFillThatFailsRemovesTheHalfFilledVolumeUnderItsOwnName() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=t3", "lvm=vg0", "lvm_thin=thin0", "size=4G", "noswap");
        RecordingCommandRunner runner = new RecordingCommandRunner(c -> c.argv().get(0).equals("lvs") || c.argv().get(0).equals("dd")
                ? new CommandResult(5, "", List.of("dd: error writing: No space left on device")) : new CommandResult(0, "", List.of()));
        assertThrows(StageFailedException.class, () -> thinClone(spec, cachedImage(), false).run(runner, new EventHandlers(new Redactor()), new UndoStack()));
        List<String> lines = runner.lines();
        assertEquals("lvremove --yes vg0/jxen-base-0123456789abcdef-filling", lines.get(lines.size() - 1), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("lvrename") || l.contains("--snapshot")), lines.toString());
    }

    private static final String LVS = String.join("\n",
            "  vg0|pool|3221225472||twi-aotz--",
            "  vg0|jxen-base-0123456789abcdef|985661440||Vri-a-tz--",
            "  vg0|jxen-base-fedcba9876543210|985661440||Vri-a-tz--",
            "  vg0|web1-disk|4294967296|jxen-base-0123456789abcdef|Vwi-a-tz--",
            "  vg0|jxen-base-00000000000000ff|985661440||-wi-a-----",
            "  vg0|jxen-base-1111111111111111|985661440||Vwi-a-tz--",
            "");

    @Test
    void theBaseVolumesAreReadOnlyThinVolumesNamedAsJxenNamesThemWithTheirSnapshotsCounted() {
        RecordingCommandRunner runner = new RecordingCommandRunner(c -> new CommandResult(0, LVS, List.of()));
        assertEquals(List.of(new ThinBase.Volume("vg0", "jxen-base-0123456789abcdef", 985661440L, 1),
                new ThinBase.Volume("vg0", "jxen-base-fedcba9876543210", 985661440L, 0)), ThinBase.list(runner),
                "a plain volume and a writable thin volume with such a name are not bases");
        assertEquals(List.of(), ThinBase.list(new RecordingCommandRunner(c -> new CommandResult(127, "", List.of("lvs: not found")))));
    }

    @Test
    void onlyABaseThatNoVolumeIsASnapshotOfIsRemoved() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner(c -> new CommandResult(0, c.argv().get(0).equals("lvs") ? LVS : "", List.of()));
        assertEquals(java.util.Optional.of("1 volume is a thin snapshot of it"),
                ThinBase.removeUnused(runner, new ThinBase.Volume("vg0", "jxen-base-0123456789abcdef", 985661440L, 0), tmp.resolve("locks")),
                "the snapshot count is read again under the lock");
        assertEquals(java.util.Optional.empty(),
                ThinBase.removeUnused(runner, new ThinBase.Volume("vg0", "jxen-base-fedcba9876543210", 985661440L, 0), tmp.resolve("locks")));
        assertEquals(List.of("lvremove --yes vg0/jxen-base-fedcba9876543210"),
                runner.lines().stream().filter(l -> l.startsWith("lvremove")).toList());
    }
}
