package dev.jxen.pipeline;

import dev.jxen.system.CommandRunner;
import dev.jxen.system.SystemUndo;
import dev.jxen.system.Undo;
import dev.jxen.system.UndoKinds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UndoStackTest {
    @TempDir
    Path tmp;

    /** An action that notes that it ran, or fails. */
    record Noted(String name, List<String> done) implements Undo {
        public String kind() {
            return "noted";
        }

        public Map<String, String> args() {
            return Map.of("name", name);
        }

        public String describe() {
            return name;
        }

        public void run(CommandRunner runner) {
            if (name.equals("broken")) {
                throw new IllegalStateException("busy");
            }
            done.add(name);
        }
    }

    @Test
    void failureUnwindsEverythingNewestFirstAndKeepsGoingPastErrors() {
        List<String> done = new ArrayList<>();
        UndoStack u = new UndoStack();
        u.rollback(new Noted("image", done));
        u.cleanup(new Noted("mount", done));
        u.cleanup(new Noted("broken", done));
        u.rollbackAlways(new Noted("cfg", done));
        List<String> errors = u.unwind(true, false, null, l -> { });
        assertEquals(List.of("cfg", "mount", "image"), done);
        assertEquals(List.of("broken: busy"), errors);
    }

    @Test
    void successRunsOnlyCleanups() {
        List<String> done = new ArrayList<>();
        UndoStack u = new UndoStack();
        u.rollback(new Noted("image", done));
        u.cleanup(new Noted("mount", done));
        u.unwind(false, false, null, l -> { });
        assertEquals(List.of("mount"), done);
    }

    @Test
    void keepSparesTheGuestsStorageButNotTheCfg() {
        List<String> done = new ArrayList<>();
        UndoStack u = new UndoStack();
        u.rollback(new Noted("image", done));
        u.cleanup(new Noted("mount", done));
        u.rollbackAlways(new Noted("cfg", done));
        u.unwind(true, true, null, l -> { });
        assertEquals(List.of("cfg", "mount"), done);
    }

    @Test
    void releaseRunsOneEntryNowAndCommitDropsRollbacks() throws Exception {
        List<String> done = new ArrayList<>();
        UndoStack u = new UndoStack();
        u.rollback(new Noted("image", done));
        UndoStack.Entry m = u.cleanup(new Noted("mount", done));
        u.release(m);
        u.commit();
        u.unwind(true, false, null, l -> { });
        assertEquals(List.of("mount"), done);
        assertEquals(0, u.size());
    }

    @Test
    void aJournalReadBackUndoesWhatTheKilledRunHeld() throws Exception {
        Path state = tmp.resolve("state");
        Path image = Files.writeString(tmp.resolve("disk.img"), "x");
        Path staging = Files.writeString(tmp.resolve(".cache.tmp"), "x");
        Path hosts = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost\n192.0.2.9\tweb\t# added by jxen for web\n");
        RunJournal journal = RunJournal.start(state, "web", "create-image", false);
        UndoStack u = new UndoStack(journal);
        u.rollback(new SystemUndo.RemoveFile(image));
        u.rollbackAlways(new SystemUndo.RestoreLines(hosts, "192.0.2.9\tweb\t# added by jxen for web", List.of(), "take web out of " + hosts, tmp.resolve("locks")));
        u.cleanup(new SystemUndo.RemoveFile(staging));
        u.cleanup(new SystemUndo.RunCommand(List.of("lvremove", "--yes", "vg0/web-disk"), "remove logical volume /dev/vg0/web-disk"));
        u.forget(u.cleanup(new SystemUndo.KillGroup(4242, "then")));
        // the run is killed here: its journal stays
        RunJournal.Left left = RunJournal.read(RunJournal.fileFor(state, "web"), new UndoKinds()).orElseThrow();
        assertEquals("create-image", left.command());
        assertEquals(4, left.entries());
        List<String> log = new ArrayList<>();
        left.undo().unwind(true, left.keep(), new dev.jxen.system.RecordingCommandRunner(), log::add);
        assertEquals(List.of("undo: remove logical volume /dev/vg0/web-disk", "undo: remove " + staging,
                "undo: take web out of " + hosts, "undo: remove " + image), log);
        assertFalse(Files.exists(image));
        assertFalse(Files.exists(staging));
        assertEquals("127.0.0.1 localhost\n", Files.readString(hosts));
        journal.finish();
        assertTrue(RunJournal.read(RunJournal.fileFor(state, "web"), new UndoKinds()).isEmpty());
    }
}
