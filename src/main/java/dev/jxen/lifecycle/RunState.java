package dev.jxen.lifecycle;

import dev.jxen.error.HostStateException;
import dev.jxen.guest.RestoreGuestFile;
import dev.jxen.pipeline.ChildProcesses;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.RunJournal;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.storage.ShrinkDisk;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.UndoKinds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runs of jxen on a guest: each keeps its undo stack in a journal while it lasts, and the next
 * run for the same guest (or jxen recover) undoes what a run that was killed left: its processes, its
 * mounts, and what it had made, newest first.
 */
public final class RunState {
    private RunState() {
    }

    /** Every kind of undo action a journal can hold; {@code paths} for those that ask xl whether the guest runs. */
    public static UndoKinds kinds(Dom0Paths paths) {
        return new UndoKinds().add(RestoreGuestFile.KIND, RestoreGuestFile::from).add(RestoreGuestFile.POLICY_RC_D_KIND, RestoreGuestFile::from)
                .add(ShrinkDisk.KIND, a -> ShrinkDisk.from(a, paths));
    }

    /**
     * Undoes what a killed run for {@code host} left, if anything. The caller holds the host's lock,
     * so no run of it is alive.
     *
     * @return what was done, one line each; empty when nothing was left
     * @throws HostStateException when something could not be undone (the journal stays for another try)
     */
    public static List<String> recover(String guest, Dom0Paths paths, LocalCommandRunner runner) throws IOException {
        Path file = RunJournal.fileFor(paths.stateDir(), guest);
        Optional<RunJournal.Left> left;
        try {
            left = RunJournal.read(file, kinds(paths));
        } catch (IllegalStateException e) {
            throw new HostStateException(e.getMessage(), "check the mounts, loop devices and storage it names by hand, then remove " + file);
        }
        if (left.isEmpty()) {
            return List.of();
        }
        RunJournal.Left l = left.get();
        List<String> lines = new ArrayList<>();
        lines.add("a jxen " + l.command() + " of " + guest + " (process " + l.pid() + ") did not finish; undoing what it left:");
        List<String> errors = l.undo().unwind(true, l.keep(), runner, s -> lines.add("  " + s));
        if (!errors.isEmpty()) {
            throw new HostStateException("could not undo all that a killed jxen run of " + guest + " left: " + String.join("; ", errors)
                    + (lines.size() > 1 ? " (done: " + String.join("; ", lines.subList(1, lines.size())).strip() + ")" : ""),
                    "undo those by hand, then remove " + file);
        }
        if (l.entries() == 0) {
            lines.add("  (it held nothing)");
        }
        Files.deleteIfExists(file);
        return lines;
    }

    /** Runs a pipeline with its undo stack journaled, and every command's process group on it while it runs. */
    public static StageContext run(String guest, String command, boolean keep, Pipeline pipeline, Dom0Paths paths,
                                   LocalCommandRunner runner, EventHandlers events) throws IOException {
        RunJournal journal = RunJournal.start(paths.stateDir(), guest, command, keep);
        UndoStack undo = new UndoStack(journal);
        runner.watchChildren(new ChildProcesses(undo));
        try {
            return pipeline.run(runner, events, undo);
        } finally {
            journal.finish();
        }
    }
}
