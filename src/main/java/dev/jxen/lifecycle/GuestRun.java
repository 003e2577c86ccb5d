package dev.jxen.lifecycle;

import dev.jxen.error.ExitCodes;
import dev.jxen.error.HostStateException;
import dev.jxen.error.JxenException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.JxenEvent.Level;
import dev.jxen.pipeline.event.LogFileListener;
import dev.jxen.system.HostLock;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.LocalCommandRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a command on one guest, the same for create, update and delete: the guest's lock, the
 * undoing of what a killed run left (as events), the assembly of the pipeline, every stage's checks,
 * the log, the stages, and a summary whether the run succeeded or failed, with its exit status.
 *
 * @param command the command's name, as journals and logs name it ({@code create-image})
 */
public record GuestRun(String command, Dom0Paths paths, LocalCommandRunner runner) {
    /** The summary of a run that succeeded, from its stages' results and its time. */
    @FunctionalInterface
    public interface Summarizer {
        JxenEvent.Summary summary(StageContext ctx, long elapsedMillis);
    }

    /**
     * What a command runs on a guest, assembled under the guest's lock once a killed run's leftovers are undone.
     *
     * @param opening the first lines of the log: what this run is (the log file's name is added to the first)
     * @param keep    true with --keep: a failed run keeps what the guest is made of
     * @param runs    false when there is nothing to do (a delete of a guest that has nothing): no stage runs, no
     *                log is written, and the summary (given no context) says so
     */
    public record Job(Pipeline pipeline, List<String> opening, boolean keep, boolean runs, Summarizer summarizer) {
        public Job {
            opening = List.copyOf(opening);
        }

        public static Job of(Pipeline pipeline, List<String> opening, Summarizer summarizer) {
            return new Job(pipeline, opening, false, true, summarizer);
        }

        public Job keeping(boolean keep) {
            return new Job(pipeline, opening, keep, runs, summarizer);
        }

        public Job runningOnlyIf(boolean runs) {
            return new Job(pipeline, opening, keep, runs, summarizer);
        }
    }

    /** Makes the job; runs under the guest's lock. */
    @FunctionalInterface
    public interface Assembly {
        Job assemble() throws IOException;
    }

    /**
     * How a run of one guest ended.
     *
     * @param failure what went wrong, or null when it succeeded
     */
    public record Outcome(String guest, int status, JxenException failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * Runs {@code assembly}'s job on {@code guest}. A failure jxen can name, or a file of the dom0's it
     * cannot read or write, ends as an outcome with its status and a summary event saying it failed
     * (in the log too, once the log is open); a bug is thrown.
     *
     * @param log the log file the run appends to
     */
    public Outcome run(String guest, Path log, EventHandlers events, Assembly assembly) {
        LogFileListener file = null;
        try (HostLock lock = HostLock.acquire(paths.lockDir(), guest)) {
            List<JxenEvent> recovered = new ArrayList<>();
            for (String line : RunState.recover(guest, paths, runner)) {
                JxenEvent e = new JxenEvent.StepLog(Level.INFO, "recover", line);
                recovered.add(e);
                events.dispatch(e);
            }
            Job job = assembly.assemble();
            if (!job.runs()) {
                events.dispatch(job.summarizer().summary(null, 0));
                return new Outcome(guest, ExitCodes.OK, null);
            }
            job.pipeline().verify(); // under the lock, before the log: a refused run leaves no file
            file = new LogFileListener(log);
            recovered.forEach(file::on);
            events.add(file);
            List<String> opening = job.opening();
            for (int i = 0; i < opening.size(); i++) {
                events.log(Level.INFO, null, opening.get(i) + (i == 0 ? " (log: " + log + ")" : ""));
            }
            long t0 = System.nanoTime();
            StageContext ctx = RunState.run(guest, command, job.keep(), job.pipeline(), paths, runner, events);
            events.dispatch(job.summarizer().summary(ctx, (System.nanoTime() - t0) / 1_000_000));
            return new Outcome(guest, ExitCodes.OK, null);
        } catch (JxenException e) {
            events.dispatch(failed(guest, e));
            return new Outcome(guest, e.exitCode(), e);
        } catch (IOException e) {
            // a file of the dom0's that cannot be read or written (a .cfg, the journal): this guest's failure, not a bug
            HostStateException failure = new HostStateException(guest + ": " + e.getMessage(), "check that file, then run again");
            events.dispatch(failed(guest, failure));
            return new Outcome(guest, failure.exitCode(), failure);
        } finally {
            if (file != null) {
                events.remove(file);
                file.close();
            }
        }
    }

    /** The summary of a failed run: which guest, the status, what was wrong and what to do. */
    static JxenEvent.Summary failed(String guest, JxenException e) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("hostname", guest);
        f.put("status", e.exitCode());
        f.put("error", e.getMessage());
        f.put("hint", e.hint());
        return new JxenEvent.Summary(false, f, List.of());
    }

    /**
     * The status of a command over several guests: the worst of theirs. An interrupt outranks a
     * bug, a bug a failed stage, a failed stage an unready host, and that invalid input.
     */
    public static int worst(List<Outcome> outcomes) {
        List<Integer> rank = List.of(ExitCodes.OK, ExitCodes.INVALID_INPUT, ExitCodes.HOST_STATE, ExitCodes.STAGE_FAILED,
                ExitCodes.SOFTWARE, ExitCodes.INTERRUPTED);
        int worst = ExitCodes.OK;
        for (Outcome o : outcomes) {
            int r = rank.indexOf(o.status());
            if (r < 0 || r > rank.indexOf(worst)) {
                worst = r < 0 ? ExitCodes.SOFTWARE : o.status();
            }
        }
        return worst;
    }
}
