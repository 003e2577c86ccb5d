package dev.jxen.storage;

import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.RecordingCommandRunner;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One run of a test pipeline around a storage stage: the commands it ran (recorded, never run), what
 * it logged, and every undo entry it registered, as the run's journal saw them.
 */
final class StorageStageRig {
    /** What a probe stage does with the context, between the stage under test and the end. */
    @FunctionalInterface
    interface Probe {
        void accept(StageContext ctx) throws Exception;
    }

    final RecordingCommandRunner runner;
    private final List<List<UndoStack.Entry>> snapshots = new ArrayList<>();
    final UndoStack undo = new UndoStack(entries -> snapshots.add(List.copyOf(entries)));
    private final List<JxenEvent.StepLog> log = new ArrayList<>();

    StorageStageRig() {
        this(c -> new CommandResult(0, "", List.of()));
    }

    StorageStageRig(Function<Command, CommandResult> answer) {
        this.runner = new RecordingCommandRunner(answer);
    }

    StageContext run(Pipeline p) {
        EventHandlers events = new EventHandlers(new Redactor()).add(e -> {
            if (e instanceof JxenEvent.StepLog l) {
                log.add(l);
            }
        });
        return p.run(runner, events, undo);
    }

    List<String> lines() {
        return runner.lines();
    }

    List<String> warnings() {
        return log.stream().filter(l -> l.level() == JxenEvent.Level.WARN).map(JxenEvent.StepLog::text).toList();
    }

    List<String> infos() {
        return log.stream().filter(l -> l.level() == JxenEvent.Level.INFO).map(JxenEvent.StepLog::text).toList();
    }

    /** Every entry the run registered, oldest first, as "WHEN: description". */
    List<String> registered() {
        Set<UndoStack.Entry> all = new LinkedHashSet<>();
        snapshots.forEach(all::addAll);
        return all.stream().map(StorageStageRig::show).toList();
    }

    /** The entries on the stack now (after the run: what neither the run nor its unwinding removed). */
    List<String> current() {
        return snapshots.isEmpty() ? List.of() : snapshots.get(snapshots.size() - 1).stream().map(StorageStageRig::show).toList();
    }

    static String show(UndoStack.Entry e) {
        return e.when() + ": " + e.description();
    }

    /** The stage without its checks, which look for tools (zfs, wipefs, mkfs) this machine may lack. */
    static <T> Stage<T> unchecked(Stage<T> stage) {
        return new Stage<>() {
            public String name() {
                return stage.name();
            }

            public List<PlannedAction> plan(Plans plans) {
                return stage.plan(plans);
            }

            public Optional<T> planned(Plans plans) {
                return stage.planned(plans);
            }

            public T run(StageContext ctx) throws Exception {
                return stage.run(ctx);
            }
        };
    }

    /** A stage that looks at the run after the one under test. */
    static Stage<Void> probe(Probe probe) {
        return TestStages.looking("probe", ctx -> {
            probe.accept(ctx);
            return null;
        });
    }

    static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, List.of());
    }

    static CommandResult failed(int status, String message) {
        return new CommandResult(status, "", List.of(message));
    }
}
