package dev.jxen.pipeline;

import dev.jxen.error.CommandFailedException;
import dev.jxen.error.InterruptedCreateException;
import dev.jxen.error.JxenException;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.JxenEvent.Level;
import dev.jxen.system.CommandRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs stages in order. Running verifies every stage before any runs. On a failure, an interrupt
 * (SIGINT/SIGTERM through a shutdown hook) or a fault injected for tests, the undo stack is unwound
 * newest first; on success only the clean-ups run (mounts, locks).
 *
 * <p>Test seam: a fault stage name ({@code JXEN_FAULT_AFTER_STAGE=NAME}, see {@code Dom0Paths}) makes the run
 * fail right after the stage of that name, so tests can prove that each stage's resources are released.
 */
public final class Pipeline {
    /** One stage's plan, for --dry-run. */
    public record StagePlan(String stage, List<PlannedAction> actions) {
    }

    private final List<Stage<?>> stages;
    private final Object identity;
    private final boolean keep;
    private final String faultAfter;

    private Pipeline(Object identity, List<Stage<?>> stages, boolean keep, String faultAfter) {
        this.identity = identity;
        this.stages = List.copyOf(stages);
        this.keep = keep;
        this.faultAfter = faultAfter;
    }

    /**
     * Assembles a pipeline stage by stage; each {@link #add} gives the key of that stage's result.
     *
     * @param keep       true with --keep: a failed run keeps what the guest is made of
     * @param faultAfter the stage after which to fail on purpose (tests), or null
     */
    public static Builder builder(boolean keep, String faultAfter) {
        return new Builder(keep, faultAfter);
    }

    /** Adds stages in order and hands out the keys of their results. */
    public static final class Builder {
        private final Object identity = new Object();
        private final List<Stage<?>> stages = new ArrayList<>();
        private final boolean keep;
        private final String faultAfter;
        private boolean built;

        private Builder(boolean keep, String faultAfter) {
            this.keep = keep;
            this.faultAfter = faultAfter;
        }

        public <T> StageResult<T> add(Stage<T> stage) {
            if (built) {
                throw new IllegalStateException("the pipeline is built already");
            }
            stages.add(stage);
            return new StageResult<>(identity, stages.size() - 1, stage.name());
        }

        public Pipeline build() {
            built = true;
            return new Pipeline(identity, stages, keep, faultAfter);
        }
    }

    public List<Stage<?>> stages() {
        return stages;
    }

    public List<StagePlan> plan() {
        List<StagePlan> out = new ArrayList<>();
        Plans plans = new Plans(identity, stages.size());
        int i = 0;
        for (Stage<?> s : stages) {
            out.add(new StagePlan(s.name(), s.plan(plans)));
            plans.put(i++, s.planned(plans).orElse(null));
        }
        return out;
    }

    /** Every stage's checks, before any stage runs; {@link #run} does this first itself. */
    public void verify() {
        for (Stage<?> s : stages) {
            s.verify();
        }
    }

    /**
     * Runs the stages.
     *
     * @return the context, with every stage's result
     * @throws JxenException after the rollback, naming the stage that failed
     */
    public StageContext run(CommandRunner runner, EventHandlers events, UndoStack undo) {
        verify();
        StageContext ctx = new StageContext(identity, stages.size(), runner, events, undo);
        undo.use(runner);
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            main.interrupt();
            runner.interruptRunning();
            try {
                // the JVM halts when the hooks return: wait until the rollback below is done...
                finished.await(300, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // ...and the command has reported it; SIGTERM too ends with the documented status, not the JVM's 143
            ShutdownGate.await(10);
            Runtime.getRuntime().halt(dev.jxen.error.ExitCodes.INTERRUPTED);
        }, "jxen-rollback-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        String current = "";
        try {
            int i = 0;
            for (Stage<?> s : stages) {
                current = s.name();
                ctx.enter(current);
                events.dispatch(new JxenEvent.StageStarted(current, i + 1, stages.size()));
                long t0 = System.nanoTime();
                Object result = s.run(ctx);
                ctx.put(i++, result);
                if (interrupted.get() || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                events.dispatch(new JxenEvent.StageFinished(current, (System.nanoTime() - t0) / 1_000_000));
                if (current.equals(faultAfter)) {
                    throw new IllegalStateException("fault injected after stage '" + current + "' (JXEN_FAULT_AFTER_STAGE)");
                }
            }
            unwind(ctx, false);
            return ctx;
        } catch (Throwable t) {
            boolean wasInterrupted = interrupted.get() || t instanceof InterruptedException || Thread.interrupted();
            Thread.interrupted(); // the rollback must be able to run commands
            JxenException failure = wasInterrupted ? new InterruptedCreateException(current) : asFailure(current, t);
            events.dispatch(new JxenEvent.StageFailed(current, failure.getMessage(), failure.hint()));
            unwind(ctx, true);
            throw failure;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running and has been released above
            }
        }
    }

    private void unwind(StageContext ctx, boolean failed) {
        ctx.enter(failed ? "rollback" : "clean-up");
        List<String> errors = ctx.undo().unwind(failed, keep, ctx.runner(),
                line -> ctx.events().log(failed ? Level.INFO : Level.DEBUG, ctx.stage(), line));
        for (String e : errors) {
            ctx.events().log(Level.ERROR, ctx.stage(), "could not undo " + e + "; remove it by hand");
        }
    }

    private static JxenException asFailure(String stage, Throwable t) {
        if (t instanceof StageFailedException s) {
            return s;
        }
        if (t instanceof CommandFailedException c) {
            return new StageFailedException(stage, c.getMessage(), c.hint(), c);
        }
        if (t instanceof JxenException j) {
            return j;
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new StageFailedException(stage, msg, null, t);
    }
}
