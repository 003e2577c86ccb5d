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
}
