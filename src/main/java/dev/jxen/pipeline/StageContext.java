package dev.jxen.pipeline;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.JxenEvent.Level;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;

import java.util.HashMap;
import java.util.Map;

/**
 * What a running stage can use: the spec, the command runner, the events, the undo stack, and the
 * results of the stages before it (records such as {@code GuestDisks} or {@code MountedRoot}).
 */
public final class StageContext {
    private final ImageSpec spec;
    private final CommandRunner runner;
    private final EventHandlers events;
    private final UndoStack undo;
    private final Map<Class<?>, Object> results = new HashMap<>();
    private String stage = "";

    public StageContext(ImageSpec spec, CommandRunner runner, EventHandlers events, UndoStack undo) {
        this.spec = spec;
        this.runner = runner;
        this.events = events;
        this.undo = undo;
    }

    public ImageSpec spec() {
        return spec;
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

    void put(Object result) {
        if (result != null) {
            results.put(result.getClass(), result);
        }
    }

    /** The result of an earlier stage; a programming error if that stage did not run. */
    public <T> T result(Class<T> type) {
        Object r = results.get(type);
        if (r == null) {
            throw new IllegalStateException("no " + type.getSimpleName() + " from an earlier stage");
        }
        return type.cast(r);
    }

    public <T> java.util.Optional<T> optionalResult(Class<T> type) {
        return java.util.Optional.ofNullable(type.cast(results.get(type)));
    }

    /** Runs a command, logging it and its output, and throws if it fails. */
    public CommandResult run(Command c) {
        checkInterrupted();
        events.log(Level.COMMAND, stage, c.display());
        return runner.check(c, line -> events.log(Level.DEBUG, stage, c.label() + ": " + line));
    }

    /** Runs a command, logging it, and returns its result whatever the status. */
    public CommandResult tryRun(Command c) {
        checkInterrupted();
        events.log(Level.COMMAND, stage, c.display());
        return runner.run(c, line -> events.log(Level.DEBUG, stage, c.label() + ": " + line));
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
        events.dispatch(new JxenEvent.Progress(stage, done, total, what));
    }
}
