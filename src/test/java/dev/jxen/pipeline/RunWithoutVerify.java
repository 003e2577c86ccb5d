package dev.jxen.pipeline;

import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.system.CommandRunner;

/**
 * Runs a pipeline as {@link Pipeline#run} does (each stage in turn; on a failure the undo stack
 * unwound with the rollbacks, on success only the clean-ups), but without the stages' checks, for a
 * stage whose {@code verify()} looks for a tool a test machine need not have (xenstore-read).
 */
public final class RunWithoutVerify {
    private RunWithoutVerify() {
    }

    /** @throws Exception what the failing stage threw, after the rollback */
    public static StageContext run(Pipeline pipeline, StageResult<?> key, CommandRunner runner, EventHandlers events, UndoStack undo,
                                   boolean keep) throws Exception {
        StageContext ctx = new StageContext(key.pipeline(), pipeline.stages().size(), runner, events, undo);
        undo.use(runner);
        int i = 0;
        try {
            for (Stage<?> s : pipeline.stages()) {
                ctx.enter(s.name());
                ctx.put(i++, s.run(ctx));
            }
        } catch (Exception e) {
            undo.unwind(true, keep, runner, line -> { });
            throw e;
        }
        undo.unwind(false, keep, runner, line -> { });
        return ctx;
    }
}
