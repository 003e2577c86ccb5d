package dev.jxen.pipeline;

/**
 * The result of one stage of one pipeline, as a key: only {@link Pipeline.Builder#add} makes them,
 * so a stage that needs an earlier result is given its key when the pipeline is assembled, and a
 * stage that is not there is a compile error, not a failure in the middle of a create.
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

    Object pipeline() {
        return pipeline;
    }

    int index() {
        return index;
    }

    @Override
    public String toString() {
        return "the result of stage '" + stage + "'";
    }
}
