package dev.jxen.pipeline;

import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.Command;
import dev.jxen.system.RecordingCommandRunner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the stages of an assembled pipeline one by one, without their checks (which look for tools
 * this machine may not have), through a recording runner, so a test can hold what each stage's run
 * did against what its plan said.
 */
public final class StagesByHand {
    /** What the stages ran, by stage name, and the undo stack holding what they made. */
    public record Ran(Map<String, List<Command>> commands, UndoStack undo) {
    }

    private StagesByHand() {
    }

    /**
     * Runs the stages of {@code pipeline} up to and including {@code last}.
     *
     * @param key any result key of that pipeline
     */
    public static Ran runThrough(Pipeline pipeline, StageResult<?> key, String last, RecordingCommandRunner runner) throws Exception {
        UndoStack undo = new UndoStack();
        StageContext ctx = new StageContext(key.pipeline(), pipeline.stages().size(), runner, new EventHandlers(new Redactor()), undo);
        Map<String, List<Command>> out = new LinkedHashMap<>();
        int i = 0;
        for (Stage<?> s : pipeline.stages()) {
            int before = runner.commands().size();
            ctx.enter(s.name());
            ctx.put(i++, s.run(ctx));
            out.put(s.name(), new ArrayList<>(runner.commands().subList(before, runner.commands().size())));
            if (s.name().equals(last)) {
                return new Ran(out, undo);
            }
        }
        throw new IllegalArgumentException("no stage " + last + " in the pipeline");
    }
}
