package dev.jxen.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One external command: its arguments, extra environment, optional standard input and working
 * directory, and a short label that prefixes each line of its output in logs.
 *
 * <p>Standard input is how secrets reach a command (for example {@code chpasswd -e}); they are never
 * arguments, so they never show in {@code /proc/PID/cmdline}.
 */
public record Command(List<String> argv, Map<String, String> env, String stdin, Path cwd, String label, boolean captureOutput,
                      Duration timeout, boolean onlyOwnEnv) {

    public Command {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }

    public Command(List<String> argv, Map<String, String> env, String stdin, Path cwd, String label, boolean captureOutput) {
        this(argv, env, stdin, cwd, label, captureOutput, null, false);
    }

    public Command(List<String> argv, Map<String, String> env, String stdin, Path cwd, String label, boolean captureOutput, Duration timeout) {
        this(argv, env, stdin, cwd, label, captureOutput, timeout, false);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), null, null, new java.io.File(argv[0]).getName(), false, null);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Map.of(), null, null, new java.io.File(argv.get(0)).getName(), false, null);
    }

    public Command withEnv(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(more);
        return new Command(argv, merged, stdin, cwd, label, captureOutput, timeout, onlyOwnEnv);
    }

    public Command withLabel(String newLabel) {
        return new Command(argv, env, stdin, cwd, newLabel, captureOutput, timeout, onlyOwnEnv);
    }

    /** Stopped (SIGTERM, then SIGKILL) when it runs longer; its result then has status {@link #TIMED_OUT}. */
    public Command withTimeout(Duration limit) {
        return new Command(argv, env, stdin, cwd, label, captureOutput, limit, onlyOwnEnv);
    }

    /** The status of a command stopped at its time limit, as timeout(1) reports it. */
    public static final int TIMED_OUT = 124;

    /** Keep the whole standard output in the result (for commands whose output is data). */
    public Command capturing() {
        return new Command(argv, env, stdin, cwd, label, true, timeout, onlyOwnEnv);
    }

    /** The same command run inside {@code root} with chroot(8). */
    public Command inChroot(Path root) {
        List<String> wrapped = new ArrayList<>();
        wrapped.add("chroot");
        wrapped.add(root.toString());
        wrapped.addAll(argv);
        return new Command(wrapped, env, stdin, cwd, label, captureOutput, timeout, onlyOwnEnv);
    }

    /** The same command with {@code newArgv} in place of its arguments (a wrapper around it). */
    public Command withArgv(List<String> newArgv) {
        return new Command(newArgv, env, stdin, cwd, label, captureOutput, timeout, onlyOwnEnv);
    }

    /**
     * The command with {@code argv} in place of its own, and only {@code env} as its whole environment
     * (none of jxen's own, not even PATH unless given): for a sandbox, whose values must not travel on
     * a command line, where every user of the dom0 could read them.
     */
    public Command replacing(List<String> newArgv, Map<String, String> onlyEnv) {
        return new Command(newArgv, onlyEnv, stdin, cwd, label, captureOutput, timeout, true);
    }

    /** The command as a shell-quoted line, for logs and the dry-run plan. */
    public String display() {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(ShellQuote.quote(a));
        }
        return b.toString();
    }
}
