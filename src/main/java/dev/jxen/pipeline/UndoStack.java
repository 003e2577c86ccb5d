package dev.jxen.pipeline;

import dev.jxen.system.CommandRunner;
import dev.jxen.system.Undo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * What to undo, newest first. Each entry is either a clean-up that runs whatever happens (unmount,
 * remove a temporary file, stop a command's processes) or a rollback that runs only when the run
 * fails (remove a volume, an image, a .cfg). A stage can also release one entry early, as unmounting
 * does before {@code xl create}. Every change is handed to the journal, so that a run that is killed
 * can be undone by a later one.
 */
public final class UndoStack {
    /** When an entry runs. */
    public enum When {
        /** always, at the end: a mount, a temporary file, a command's processes */
        CLEANUP,
        /** only if the run fails, and not with --keep: what the guest is made of (volumes, images) */
        ROLLBACK,
        /** only if the run fails, even with --keep: a half-written .cfg, a dom0 /etc/hosts line, a swap */
        ROLLBACK_ALWAYS
    }

    /** A registered action; pass it to {@link #release} to run it now. */
    public static final class Entry {
        private final Undo action;
        private final When when;

        private Entry(Undo action, When when) {
            this.action = action;
            this.when = when;
        }

        public Undo action() {
            return action;
        }

        public When when() {
            return when;
        }

        public String description() {
            return action.describe();
        }
    }

    /** Where the entries are kept while the run lasts. */
    @FunctionalInterface
    public interface Journal {
        /** The entries now, oldest first. */
        void record(List<Entry> entries);
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final Journal journal;
    private CommandRunner runner;

    public UndoStack() {
        this(e -> { });
    }

    public UndoStack(Journal journal) {
        this.journal = journal;
    }

    void use(CommandRunner commandRunner) {
        this.runner = commandRunner;
    }

    /** Always undone at the end: a mount, a temporary file, a running command. */
    public Entry cleanup(Undo action) {
        return push(new Entry(action, When.CLEANUP));
    }

    /** Undone only if the run fails, and kept with --keep: what the guest is made of (volumes, images). */
    public Entry rollback(Undo action) {
        return push(new Entry(action, When.ROLLBACK));
    }

    /** Undone only if the run fails, even with --keep: a half-written .cfg, a dom0 /etc/hosts line. */
    public Entry rollbackAlways(Undo action) {
        return push(new Entry(action, When.ROLLBACK_ALWAYS));
    }

    /** An entry read back from a killed run's journal. */
    public Entry restore(Undo action, When when) {
        return push(new Entry(action, when));
    }

    private synchronized Entry push(Entry e) {
        entries.push(e);
        journal.record(snapshot());
        return e;
    }

    private List<Entry> snapshot() {
        List<Entry> out = new ArrayList<>(entries);
        java.util.Collections.reverse(out);
        return out;
    }

    /** Runs one entry now and forgets it. */
    public void release(Entry e) throws Exception {
        synchronized (this) {
            if (!entries.contains(e)) {
                return;
            }
        }
        e.action.run(runner);
        synchronized (this) {
            entries.remove(e);
            journal.record(snapshot());
        }
    }

    /**
     * Makes everything created so far permanent: the rollbacks are dropped, the clean-ups stay. Used
     * once the guest is complete, before steps whose failure must not destroy it (xl create).
     */
    public synchronized void commit() {
        entries.removeIf(e -> e.when != When.CLEANUP);
        journal.record(snapshot());
    }

    /** Forgets an entry without running it (what it guarded is now permanent, or gone). */
    public synchronized void forget(Entry e) {
        if (entries.remove(e)) {
            journal.record(snapshot());
        }
    }

    /**
     * Unwinds, newest first. Failures of single entries are collected, not thrown, so that one
     * stuck mount does not leave the rest in place.
     *
     * @param failed true when the run failed (rollbacks run too)
     * @param keep   true with --keep (rollbacks of the guest's storage are skipped)
     * @return descriptions of entries that could not be undone, with the reason
     */
    public List<String> unwind(boolean failed, boolean keep, CommandRunner commandRunner, Consumer<String> log) {
        List<String> errors = new ArrayList<>();
        while (true) {
            Entry e;
            synchronized (this) {
                e = entries.peek();
            }
            if (e == null) {
                return errors;
            }
            boolean skip = e.when != When.CLEANUP && (!failed || (keep && e.when == When.ROLLBACK));
            if (skip) {
                if (failed) {
                    log.accept("kept (--keep): " + e.description());
                }
            } else {
                try {
                    log.accept("undo: " + e.description());
                    e.action.runAndSay(commandRunner).ifPresent(said -> log.accept("  " + said));
                } catch (Exception ex) {
                    errors.add(e.description() + ": " + ex.getMessage());
                }
            }
            synchronized (this) {
                entries.remove(e);
                journal.record(snapshot());
            }
        }
    }

    public synchronized int size() {
        return entries.size();
    }
}
