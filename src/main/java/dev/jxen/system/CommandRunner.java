package dev.jxen.system;

import java.util.function.Consumer;

/** The only way jxen runs an external program. */
public interface CommandRunner {

    /**
     * Runs the command to completion, passing each output line (stdout and stderr, merged unless
     * captured) to {@code lines}.
     *
     * @return the result; a non-zero status is not an exception here, see {@link #check}
     */
    CommandResult run(Command command, Consumer<String> lines);

    /**
     * Stops the commands running now (SIGTERM to each and its descendants), so that a pipeline
     * interrupted by a signal can roll back at once instead of waiting for a long install.
     */
    default void interruptRunning() {
    }

    /** Runs the command and throws a {@link dev.jxen.error.CommandFailedException} unless it exits 0. */
    default CommandResult check(Command command, Consumer<String> lines) {
        CommandResult r = run(command, lines);
        if (!r.ok()) {
            throw failure(command, r);
        }
        return r;
    }

    /** The exception that says what went wrong with a command that exited non-zero. */
    static dev.jxen.error.CommandFailedException failure(Command command, CommandResult r) {
        return CommandFailures.describe(command, r);
    }
}
