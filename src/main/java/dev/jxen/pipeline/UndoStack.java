package dev.jxen.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What to undo, newest first. Each entry is either a clean-up that runs whatever happens (unmount,
 * detach a loop device, release a lock) or a rollback that runs only when the run fails (remove a
 * volume, an image, a .cfg). A stage can also release one entry early, as unmounting does before
 * {@code xl create}.
 */
public final class UndoStack {
    /** A registered action; pass it to {@link #release} to run it now. */
    public static final class Entry {
        private final String description;
        private final boolean onlyOnFailure;
        private final boolean keptByKeep;
        private final Action action;

        private Entry(String description, boolean onlyOnFailure, boolean keptByKeep, Action action) {
            this.description = description;
            this.onlyOnFailure = onlyOnFailure;
            this.keptByKeep = keptByKeep;
            this.action = action;
        }

        public String description() {
            return description;
        }
    }

    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    /** Always undone at the end: a mount, a loop device, a lock. */
    public synchronized Entry cleanup(String description, Action action) {
        return push(new Entry(description, false, false, action));
    }

    /** Undone only if the run fails, and kept with --keep: what the guest is made of (volumes, images). */
    public synchronized Entry rollback(String description, Action action) {
        return push(new Entry(description, true, true, action));
    }

    /** Undone only if the run fails, even with --keep: a half-written .cfg, a dom0 /etc/hosts line. */
    public synchronized Entry rollbackAlways(String description, Action action) {
        return push(new Entry(description, true, false, action));
    }

    private Entry push(Entry e) {
        entries.push(e);
        return e;
    }

    /** Runs one entry now and forgets it. */
    public void release(Entry e) throws Exception {
        synchronized (this) {
            if (!entries.remove(e)) {
                return;
            }
        }
        e.action.run();
    }

    /**
     * Makes everything created so far permanent: the rollbacks are dropped, the clean-ups stay. Used
     * once the guest is complete, before steps whose failure must not destroy it (xl create).
     */
    public synchronized void commit() {
        entries.removeIf(e -> e.onlyOnFailure);
    }

    /** Forgets an entry without running it (what it guarded is now permanent). */
    public synchronized void forget(Entry e) {
        entries.remove(e);
    }

    /**
     * Unwinds, newest first. Failures of single entries are collected, not thrown, so that one
     * stuck mount does not leave the rest in place.
     *
     * @param failed true when the run failed (rollbacks run too)
     * @param keep   true with --keep (rollbacks of the guest's storage are skipped)
     * @return descriptions of entries that could not be undone, with the reason
     */
    public List<String> unwind(boolean failed, boolean keep, java.util.function.Consumer<String> log) {
        List<String> errors = new ArrayList<>();
        while (true) {
            Entry e;
            synchronized (this) {
                e = entries.poll();
            }
            if (e == null) {
                return errors;
            }
            if (e.onlyOnFailure && (!failed || (keep && e.keptByKeep))) {
                if (failed) {
                    log.accept("kept (--keep): " + e.description);
                }
                continue;
            }
            try {
                log.accept("undo: " + e.description);
                e.action.run();
            } catch (Exception ex) {
                errors.add(e.description + ": " + ex.getMessage());
            }
        }
    }

    public synchronized int size() {
        return entries.size();
    }
}
