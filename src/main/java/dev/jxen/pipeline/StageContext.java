package dev.jxen.pipeline;

import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.JxenEvent.Level;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;

import java.util.Optional;

/**
 * What a running stage can use: the command runner, the events, the undo stack, and the results of
 * the stages before it, by their keys.
 */
public final class StageContext {
    private final Object pipeline;
    private final Object[] results;
    private final boolean[] done;
    private final CommandRunner runner;
    private final EventHandlers events;
    private final UndoStack undo;
    private String stage = "";

    StageContext(Object pipeline, int stages, CommandRunner runner, EventHandlers events, UndoStack undo) {
        this.pipeline = pipeline;
        this.results = new Object[stages];
        this.done = new boolean[stages];
        this.runner = runner;
        this.events = events;
        this.undo = undo;
    }

    public CommandRunner runner() {
        return runner;
    }

    public EventHandlers events() {
        return events;
    }

    public UndoStack undo() {
        return undo;
    }

    void enter(String stageName) {
        this.stage = stageName;
    }

    public String stage() {
        return stage;
    }

    void put(int index, Object result) {
        results[index] = result;
        done[index] = true;
    }

    /** The result of an earlier stage of this pipeline. */
    public <T> T get(StageResult<T> key) {
        if (key.pipeline() != pipeline || !done[key.index()]) {
            throw new IllegalStateException(key + " is not available here: the pipeline was assembled wrongly");
        }
        @SuppressWarnings("unchecked")
        T t = (T) results[key.index()];
        return t;
    }

    /** The result of an earlier stage, or empty when the assembly left it out ({@link StageResult#absent}) or it has not run. */
    public <T> Optional<T> find(StageResult<T> key) {
        if (!key.present()) {
            return Optional.empty();
        }
        if (key.pipeline() != pipeline) {
            throw new IllegalStateException(key + " is not a stage of this pipeline: it was assembled wrongly");
        }
        if (!done[key.index()]) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        T t = (T) results[key.index()];
        return Optional.ofNullable(t);
    }

    /** Runs a command, logging it and its output, and throws if it fails. */
    public CommandResult run(Command c) {
        CommandResult r = tryRun(c);
        if (!r.ok()) {
            throw CommandRunner.failure(c, r);
        }
        return r;
    }

    /** Runs a command, logging it and its output, and returns its result whatever the status. */
    public CommandResult tryRun(Command c) {
        return tryRun(c, line -> output(c.label(), line));
    }

    /**
     * Runs a command, logging it, and passes its output lines to {@code lines} instead of the log;
     * returns its result whatever the status.
     */
    public CommandResult tryRun(Command c, java.util.function.Consumer<String> lines) {
        checkInterrupted();
        events.log(Level.COMMAND, stage, c.display());
        return runner.run(c, lines);
    }

    /** Logs a line of a command's output, as {@link #run} does, under {@code label}. */
    public void output(String label, String line) {
        events.log(Level.DEBUG, stage, label + ": " + line);
    }

    private void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new dev.jxen.error.InterruptedCreateException(stage);
        }
    }

    public void info(String text) {
        events.log(Level.INFO, stage, text);
    }

    public void warn(String text) {
        events.log(Level.WARN, stage, text);
    }

    public void progress(long done, long total, String what) {
        events.dispatch(new JxenEvent.Progress(stage, done, total, what, false));
    }

    /** Progress that is a guess, shown as one (~45%). */
    public void estimatedProgress(long done, long total, String what) {
        events.dispatch(new JxenEvent.Progress(stage, done, total, what, true));
    }
}
