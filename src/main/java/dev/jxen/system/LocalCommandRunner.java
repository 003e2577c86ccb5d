package dev.jxen.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs commands on this machine with ProcessBuilder, each as the leader of a session and process
 * group of its own (setsid), so that what a command starts can be found and stopped as one group,
 * also by a later run if this one is killed.
 */
public final class LocalCommandRunner implements CommandRunner {
    /** Told when a command starts and ends. */
    public interface ChildListener {
        void started(long pid, String startInstant);

        void ended(long pid);
    }

    private volatile ChildListener children = new ChildListener() {
        public void started(long pid, String startInstant) {
        }

        public void ended(long pid) {
        }
    };

    public LocalCommandRunner watchChildren(ChildListener listener) {
        this.children = listener;
        return this;
    }

    private static final int TAIL_LINES = 15;
    private final java.util.Set<Process> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final long GRACE_SECONDS = 5;

    @Override
    public void interruptRunning() {
        for (Process p : running) {
            stop(p);
        }
    }

    /**
     * SIGTERM to the command and everything under it, then SIGKILL to what is left after a grace
     * period: unshare in fork mode ignores SIGTERM, and so does a process that is process 1 of a
     * PID namespace, such as a hook in the sandbox.
     */
    static void stop(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroy);
        try {
            p.waitFor(GRACE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ProcessHandle> left = new ArrayList<>(p.descendants().toList());
        left.addAll(tree);
        left.add(p.toHandle());
        left.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public CommandResult run(Command command, Consumer<String> lines) {
        List<String> argv = new ArrayList<>(List.of("setsid", "--wait"));
        argv.addAll(command.argv());
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (command.onlyOwnEnv()) {
            pb.environment().clear();
        }
        pb.environment().putAll(command.env());
        if (!pb.environment().containsKey("PATH") || pb.environment().get("PATH").isBlank()) {
            pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        }
        if (!command.onlyOwnEnv()) {
            pb.environment().putIfAbsent("LC_ALL", "C.UTF-8");
        }
        if (command.cwd() != null) {
            pb.directory(command.cwd().toFile());
        }
        pb.redirectErrorStream(!command.captureOutput());
        if (command.captureOutput()) {
            pb.redirectError(ProcessBuilder.Redirect.PIPE);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            // ProcessBuilder reports a missing program as an IOException; give it the shell's status.
            return new CommandResult(127, "", List.of(e.getMessage()));
        }
        Deque<String> tail = new ArrayDeque<>();
        StringBuilder stdout = new StringBuilder();
        Thread errPump = null;
        running.add(p);
        children.started(p.pid(), p.info().startInstant().map(Object::toString).orElse(""));
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watchdog = null;
        if (command.timeout() != null) {
            long limit = command.timeout().toMillis();
            watchdog = new Thread(() -> {
                try {
                    if (!p.waitFor(limit, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        timedOut.set(true);
                        stop(p);
                    }
                } catch (InterruptedException e) {
                    // the command ended first
                }
            }, "timeout-" + command.label());
            watchdog.setDaemon(true);
            watchdog.start();
        }
        try {
            writeStdin(p, command.stdin());
            if (command.captureOutput()) {
                errPump = new Thread(() -> pump(p.getErrorStream(), line -> remember(tail, line, lines)), "stderr-" + command.label());
                errPump.setDaemon(true);
                errPump.start();
                pump(p.getInputStream(), line -> stdout.append(line).append('\n'));
            } else {
                pump(p.getInputStream(), line -> remember(tail, line, lines));
            }
            int status = p.waitFor();
            if (errPump != null) {
                errPump.join(5000);
            }
            synchronized (tail) {
                if (timedOut.get()) {
                    tail.addLast(command.label() + " did not finish within " + command.timeout().toSeconds() + " s and was stopped");
                    return new CommandResult(Command.TIMED_OUT, stdout.toString(), new ArrayList<>(tail));
                }
                return new CommandResult(status, stdout.toString(), new ArrayList<>(tail));
            }
        } catch (InterruptedException e) {
            Thread.interrupted();
            stop(p);
            Thread.currentThread().interrupt();
            return new CommandResult(130, stdout.toString(), new ArrayList<>(tail));
        } finally {
            running.remove(p);
            children.ended(p.pid());
            if (watchdog != null) {
                watchdog.interrupt();
            }
        }
    }

    private static void remember(Deque<String> tail, String line, Consumer<String> lines) {
        synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
        }
        lines.accept(line);
    }

    private static void writeStdin(Process p, String stdin) {
        try (OutputStream os = p.getOutputStream()) {
            if (stdin != null) {
                os.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the command may exit without reading its input; its status tells what happened
        }
    }

    private static void pump(InputStream in, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
