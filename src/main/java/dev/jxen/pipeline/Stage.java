package dev.jxen.pipeline;

import dev.jxen.config.ImageSpec;

import java.util.List;

/**
 * One step of a pipeline. {@link #plan} says what it would do, without touching anything, for
 * --dry-run; {@link #run} does it, registering the undo of everything it creates on the context's
 * {@link UndoStack} before moving on, and returns a typed result for later stages.
 */
public interface Stage<T> {
    String name();

    List<PlannedAction> plan(ImageSpec spec);

    T run(StageContext ctx) throws Exception;

    /** Checks that must pass before any stage runs (tools present, names free). Default: none. */
    default void verify(ImageSpec spec) {
    }
}
