package dev.jxen.pipeline;

import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stage the assembly leaves out is an absent key, never null; a key of another pipeline is a mistake. */
class StageResultTest {
    @Test
    void anAbsentStagesResultIsNeverThereAndAnotherPipelinesKeyIsRefused() throws Exception {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<String> one = b.add(TestStages.giving("one", "x"));
        Pipeline p = b.build();
        StageResult<String> left = StageResult.absent("left out");
        assertFalse(left.present());
        assertTrue(one.present());
        StageResult<String> other = Pipeline.builder(false, null).add(TestStages.giving("other", "y"));
        StageContext ctx = new StageContext(one.pipeline(), p.stages().size(), new RecordingCommandRunner(),
                new EventHandlers(new Redactor()), new UndoStack());
        assertEquals(Optional.empty(), ctx.find(one), "not run yet");
        ctx.put(0, "x");
        assertEquals(Optional.of("x"), ctx.find(one));
        assertEquals(Optional.empty(), ctx.find(left));
        assertThrows(IllegalStateException.class, () -> ctx.get(left));
        assertThrows(IllegalStateException.class, () -> ctx.find(other));
        Plans plans = new Plans(one.pipeline(), 1);
        assertEquals(Optional.empty(), plans.find(left));
        assertThrows(IllegalStateException.class, () -> plans.get(left));
    }
}
