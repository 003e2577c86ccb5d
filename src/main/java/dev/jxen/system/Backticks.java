package dev.jxen.system;

import java.time.Duration;

/**
 * Runs the shell command of a backtick value in a config file, as xen-tools does, through the
 * command runner and within a time limit. Only config values run this way; jxen runs every other
 * program as a {@link Command}.
 */
public final class Backticks {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int MAX_OUTPUT = 64 * 1024;

    private Backticks() {
    }

    /** What the command printed (trailing newlines removed) and its exit status. */
    public record Result(String output, int status) {
    }

    /** Runs the command; throws when it does not finish within its time limit. */
    public static Result run(String shellCommand) {
        return run(shellCommand, LIMIT);
    }

    static Result run(String shellCommand, Duration limit) {
        CommandResult r = new LocalCommandRunner().run(Command.of("/bin/sh", "-c", shellCommand).capturing().withTimeout(limit), l -> { });
        if (r.status() == Command.TIMED_OUT) {
            throw new IllegalStateException("'" + shellCommand + "' did not finish in " + limit.toSeconds() + " s");
        }
        String out = r.stdout().length() > MAX_OUTPUT ? r.stdout().substring(0, MAX_OUTPUT) : r.stdout();
        return new Result(out.replaceAll("\\n+$", ""), r.status());
    }
}
