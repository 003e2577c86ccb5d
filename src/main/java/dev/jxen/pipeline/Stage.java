package dev.jxen.pipeline;

import java.util.List;
import java.util.Optional;

/**
 * One step of a pipeline. A stage gets what it works on when it is made: its part of the spec, and
 * the {@link StageResult} keys of the earlier stages it needs. {@link #plan} says what it would do,
 * without touching anything, for --dry-run, from the planned results of those stages ({@link Plans});
 * {@link #planned} is its own result as far as it is known before anything runs; {@link #verify} checks what must hold before any stage
 * runs; {@link #run} does it, registering the undo of everything it creates on the context's
 * {@link UndoStack} before moving on, and returns a typed result for later stages.
 */
public interface Stage<T> {
    String name();

    List<PlannedAction> plan(Plans plans);

    /**
     * The result {@link #run} will return, as far as it is known before anything runs, for the plans
     * of later stages; empty where only the run can know it. Default: empty.
     */
    default Optional<T> planned(Plans plans) {
        return Optional.empty();
    }

    T run(StageContext ctx) throws Exception;

    /** Checks that must pass before any stage runs (tools present, names free). Default: none. */
    default void verify() {
    }
}
