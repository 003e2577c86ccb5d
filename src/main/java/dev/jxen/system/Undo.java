package dev.jxen.system;

import java.util.Map;
import java.util.Optional;

/**
 * One thing a run did that can be undone: by the run itself when it fails, or, after it was killed,
 * by a later one that reads it back from the run's journal. So an action is a plain record of
 * strings ({@link #kind} and {@link #args}), turned back into itself by {@link UndoKinds}.
 */
public interface Undo {
    /** The name it is journaled under. */
    String kind();

    /** Its fields, as strings. */
    Map<String, String> args();

    /** What it undoes, for the log: "unmount /run/jxen/web1.123". */
    String describe();

    void run(CommandRunner runner) throws Exception;

    /**
     * Undoes it, and says what it did where that depends on what it finds (a disk cut back, or left as it
     * is and why); the log prints the line under the undo's own.
     */
    default Optional<String> runAndSay(CommandRunner runner) throws Exception {
        run(runner);
        return Optional.empty();
    }

    /**
     * False for what the kernel gives back when jxen's process ends (a lock on a file): a killed run
     * leaves nothing of it to undo, so it is not written to the run's journal.
     */
    default boolean outlivesTheProcess() {
        return true;
    }
}
