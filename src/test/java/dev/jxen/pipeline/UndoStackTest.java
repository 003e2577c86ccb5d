package dev.jxen.pipeline;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UndoStackTest {
    @Test
    void failureUnwindsEverythingNewestFirstAndKeepsGoingPastErrors() {
        List<String> done = new ArrayList<>();
        UndoStack u = new UndoStack();
        u.rollback("image", () -> done.add("image"));
        u.cleanup("mount", () -> done.add("mount"));
        u.cleanup("broken", () -> {
            throw new IllegalStateException("busy");
        });
        u.rollbackAlways("cfg", () -> done.add("cfg"));
        List<String> errors = u.unwind(true, false, l -> { });
        assertEquals(List.of("cfg", "mount", "image"), done);
        assertEquals(List.of("broken: busy"), errors);
    }

    @Test
    void successRunsOnlyCleanups() {
        List<String> done = new ArrayList<>();
        UndoStack u = new UndoStack();
        u.rollback("image", () -> done.add("image"));
        u.cleanup("mount", () -> done.add("mount"));
        u.unwind(false, false, l -> { });
        assertEquals(List.of("mount"), done);
    }

    @Test
    void keepSparesTheGuestsStorageButNotTheCfg() {
        List<String> done = new ArrayList<>();
        UndoStack u = new UndoStack();
        u.rollback("image", () -> done.add("image"));
        u.cleanup("mount", () -> done.add("mount"));
        u.rollbackAlways("cfg", () -> done.add("cfg"));
        u.unwind(true, true, l -> { });
        assertEquals(List.of("cfg", "mount"), done);
    }

    @Test
    void releaseRunsOneEntryNowAndCommitDropsRollbacks() throws Exception {
        List<String> done = new ArrayList<>();
        UndoStack u = new UndoStack();
        u.rollback("image", () -> done.add("image"));
        UndoStack.Entry m = u.cleanup("mount", () -> done.add("mount"));
        u.release(m);
        u.commit();
        u.unwind(true, false, l -> { });
        assertEquals(List.of("mount"), done);
        assertEquals(0, u.size());
    }
}
