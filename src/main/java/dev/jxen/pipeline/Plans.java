package dev.jxen.pipeline;

import java.util.Optional;

/**
 * What a plan can use: the planned results of the stages before it, by the same keys a run reads
 * their results by. A stage plans over what an earlier stage will return (the disks the storage
 * stage makes, under the names it makes them), never over a guess of its own, so that a plan names
 * what the run will touch.
 */
public final class Plans {
    private final Object pipeline;
    private final Object[] planned;

    Plans(Object pipeline, int stages) {
        this.pipeline = pipeline;
        this.planned = new Object[stages];
    }

    void put(int index, Object value) {
        planned[index] = value;
    }

    /** The planned result of an earlier stage, or empty when it cannot be known before the run (a guest's .cfg read by the run). */
    public <T> Optional<T> find(StageResult<T> key) {
        if (!key.present()) {
            return Optional.empty();
        }
        if (key.pipeline() != pipeline) {
            throw new IllegalStateException(key + " is not a stage of this pipeline: it was assembled wrongly");
        }
        @SuppressWarnings("unchecked")
        T t = (T) planned[key.index()];
        return Optional.ofNullable(t);
    }

    /** The planned result of an earlier stage that always knows it before the run (a storage stage's disks). */
    public <T> T get(StageResult<T> key) {
        return find(key).orElseThrow(() -> new IllegalStateException(key + " has no planned result: the pipeline was assembled wrongly"));
    }
}
