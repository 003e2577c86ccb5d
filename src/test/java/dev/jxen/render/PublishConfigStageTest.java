package dev.jxen.render;

import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A --force create's swap of the .cfg: the old one aside, the new one from its staging name into
 * place, both renames undone (even with --keep) when a later stage fails.
 */
class PublishConfigStageTest {
    @TempDir
    Path tmp;

    private Path cfg() {
        return tmp.resolve("web.cfg");
    }

    private Path staging() {
        return tmp.resolve(".web.cfg.jxen-new");
    }

    private Path aside() {
        return tmp.resolve(".web.cfg.jxen-old");
    }

    private UndoStack run(boolean keep, boolean failAfter) {
        Pipeline.Builder b = Pipeline.builder(keep, null);
        b.add(new PublishConfigStage(cfg()));
        if (failAfter) {
            b.add(TestStages.failing());
        }
        UndoStack undo = new UndoStack();
        b.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), undo);
        return undo;
    }

    private List<String> files() throws Exception {
        try (var s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theNewCfgTakesThePlaceOfTheOldWhichIsKeptAside() throws Exception {
        Files.writeString(cfg(), "name = 'web' # old\n");
        Files.writeString(staging(), "name = 'web' # new\n");
        UndoStack undo = run(false, false);
        assertEquals("name = 'web' # new\n", Files.readString(cfg()));
        assertEquals("name = 'web' # old\n", Files.readString(aside()), "the old .cfg is kept until the old guest is discarded");
        assertEquals(List.of(".web.cfg.jxen-old", "web.cfg"), files());
        assertEquals(0, undo.size());
    }

    @Test
    void aFailureAfterItPutsTheOldCfgBackAndTheNewOneOutEvenWithKeep() throws Exception {
        for (boolean keep : new boolean[] {false, true}) {
            Files.writeString(cfg(), "name = 'web' # old\n");
            Files.writeString(staging(), "name = 'web' # new\n");
            assertThrows(StageFailedException.class, () -> run(keep, true));
            assertEquals("name = 'web' # old\n", Files.readString(cfg()), "keep=" + keep);
            assertEquals("name = 'web' # new\n", Files.readString(staging()), "keep=" + keep);
            assertEquals(List.of(".web.cfg.jxen-new", "web.cfg"), files(), "keep=" + keep);
            Files.delete(staging());
            Files.delete(cfg());
        }
    }

    @Test
    void withoutAnOldCfgTheNewOneIsPublishedAndTakenOutOnFailure() throws Exception {
        Files.writeString(staging(), "name = 'web' # new\n");
        assertThrows(StageFailedException.class, () -> run(false, true));
        assertEquals(List.of(".web.cfg.jxen-new"), files(), "a failed create left a .cfg where there was none");

        run(false, false);
        assertEquals(List.of("web.cfg"), files());
        assertEquals("name = 'web' # new\n", Files.readString(cfg()));
    }

    @Test
    void withoutTheNewCfgItFailsAndTheOldOneIsBackInPlace() throws Exception {
        Files.writeString(cfg(), "name = 'web' # old\n");
        StageFailedException e = assertThrows(StageFailedException.class, () -> run(false, false));
        assertEquals("publish config", e.stage());
        assertTrue(e.getMessage().contains(staging().toString()), e.getMessage());
        assertEquals("name = 'web' # old\n", Files.readString(cfg()));
        assertFalse(Files.exists(aside()), "the old .cfg stayed aside");
    }

    @Test
    void thePlanNamesBothRenames() {
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new PublishConfigStage(cfg()));
        assertEquals(List.of(
                new PlannedAction("rename", cfg() + " -> " + aside(), "the old .cfg, kept until the end"),
                new PlannedAction("rename", staging() + " -> " + cfg(), "the new .cfg")), b.build().plan().get(0).actions());
    }
}
