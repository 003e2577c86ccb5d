package dev.jxen.pipeline;

import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.SystemUndo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts each running command's process group on the undo stack while it runs, so that the journal of a
 * run that is killed names what it left running.
 */
public final class ChildProcesses implements LocalCommandRunner.ChildListener {
    private final UndoStack undo;
    private final Map<Long, UndoStack.Entry> running = new ConcurrentHashMap<>();

    public ChildProcesses(UndoStack undo) {
        this.undo = undo;
    }

    @Override
    public void started(long pid, String startInstant) {
        running.put(pid, undo.cleanup(new SystemUndo.KillGroup(pid, startInstant)));
    }

    @Override
    public void ended(long pid) {
        UndoStack.Entry e = running.remove(pid);
        if (e != null) {
            undo.forget(e);
        }
    }
}
