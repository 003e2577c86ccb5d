package dev.jxen.pipeline;

import java.util.List;

/**
 * One step of a pipeline. A stage gets what it works on when it is made: its part of the spec, and
 * the {@link StageResult} keys of the earlier stages it needs. {@link #plan} says what it would do,
 * without touching anything, for --dry-run; {@link #verify} checks what must hold before any stage
 * runs; {@link #run} does it, registering the undo of everything it creates on the context's
 * {@link UndoStack} before moving on, and returns a typed result for later stages.
 */
public interface Stage<T> {
    String name();

    List<PlannedAction> plan();

    T run(StageContext ctx) throws Exception;

    /** Checks that must pass before any stage runs (tools present, names free). Default: none. */
    default void verify() {
    }
}
