package dev.jxen.pipeline;

/**
 * The result of one stage of one pipeline, as a key: only {@link Pipeline.Builder#add} makes them,
 * so a stage that needs an earlier result is given its key when the pipeline is assembled, and a
 * stage that is not there is a compile error, not a failure in the middle of a create. A stage the
 * assembly leaves out, where a later stage would use it, is given as {@link #absent}: decided once,
 * there, and never as a null key.
 */
public final class StageResult<T> {
    private final Object pipeline;
    private final int index;
    private final String stage;

    StageResult(Object pipeline, int index, String stage) {
        this.pipeline = pipeline;
        this.index = index;
        this.stage = stage;
    }

    /** The key of a stage the assembly left out: its result is never there ({@code StageContext.find} is empty). */
    public static <T> StageResult<T> absent(String stage) {
        return new StageResult<>(null, -1, stage);
    }

    /** True when the assembly has this stage. */
    public boolean present() {
        return pipeline != null;
    }

    Object pipeline() {
        return pipeline;
    }

    int index() {
        return index;
    }

    @Override
    public String toString() {
        return (present() ? "the result of stage '" : "the result of the stage left out, '") + stage + "'";
    }
}
