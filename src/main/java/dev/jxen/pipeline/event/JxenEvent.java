package dev.jxen.pipeline.event;

import java.util.List;
import java.util.Map;

/** What a pipeline reports while it runs. Listeners draw the console, write --json lines and the log. */
public sealed interface JxenEvent {

    String type();

    record StageStarted(String stage, int index, int total) implements JxenEvent {
        public String type() {
            return "stage-started";
        }
    }

    /** A line of text: a command run, a tool's output, a warning. */
    record StepLog(Level level, String stage, String text) implements JxenEvent {
        public String type() {
            return "log";
        }
    }

    /** @param estimated true when done/total is a guess (an installer's output read as a percentage), not a count */
    record Progress(String stage, long done, long total, String what, boolean estimated) implements JxenEvent {
        public String type() {
            return "progress";
        }
    }

    record StageFinished(String stage, long elapsedMillis) implements JxenEvent {
        public String type() {
            return "stage-finished";
        }
    }

    record StageFailed(String stage, String message, String hint) implements JxenEvent {
        public String type() {
            return "stage-failed";
        }
    }

    /** The end of a run: what was made, where, and how to use it. */
    record Summary(boolean success, Map<String, Object> fields, List<String> lines) implements JxenEvent {
        public String type() {
            return "summary";
        }
    }

    enum Level { DEBUG, COMMAND, INFO, WARN, ERROR }
}
