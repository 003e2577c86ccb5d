package dev.jxen.lifecycle;

import dev.jxen.error.ExitCodes;
import dev.jxen.error.HostStateException;
import dev.jxen.error.InvalidInputException;
import dev.jxen.error.JxenException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.RunJournal;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.SystemUndo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The one run of every command: lock, recovery as events, checks, log, stages, summary, status. */
class GuestRunTest {
    @TempDir
    Path tmp;
    private Dom0Paths paths;
    private final List<JxenEvent> seen = new ArrayList<>();
    private EventHandlers events;

    @BeforeEach
    void setUp() {
        // the log goes only where root alone can write: a temporary directory of root's
        assumeTrue("root".equals(System.getProperty("user.name")), "the run's log is written only into root's directories");
        paths = Dom0Paths.from(Map.of("JXEN_LOCK_DIR", tmp.resolve("locks").toString(), "JXEN_STATE_DIR", tmp.resolve("state").toString(),
                "JXEN_WORK_DIR", tmp.resolve("work").toString()));
        events = new EventHandlers(new Redactor()).add(seen::add);
    }

    private static GuestRun.Job job(Pipeline pipeline, boolean runs) {
        return GuestRun.Job.of(pipeline, List.of("testing g1", "second line"),
                (ctx, millis) -> new JxenEvent.Summary(true, Map.of("hostname", "g1", "ran", ctx != null), List.of("done g1"))).runningOnlyIf(runs);
    }

    private static Pipeline of(Stage<?>... stages) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        for (Stage<?> s : stages) {
            b.add(s);
        }
        return b.build();
    }

    private List<JxenEvent.Summary> summaries() {
        return seen.stream().filter(e -> e instanceof JxenEvent.Summary).map(e -> (JxenEvent.Summary) e).toList();
    }

    @Test
    void aRunThatSucceedsLogsFromItsOpeningToItsSummaryAndEndsWithStatusZero() throws Exception {
        Path log = tmp.resolve("logs/g1.log");
        GuestRun.Outcome o = new GuestRun("test-image", paths, new LocalCommandRunner())
                .run("g1", log, events, () -> job(of(TestStages.giving("one", "x")), true));
        assertTrue(o.ok());
        assertEquals(0, o.status());
        assertEquals(List.of(true), summaries().stream().map(JxenEvent.Summary::success).toList());
        assertEquals(true, summaries().get(0).fields().get("ran"));
        String text = Files.readString(log);
        assertTrue(text.contains("testing g1 (log: " + log + ")") && text.contains("second line") && text.contains("SUMMARY success=true"), text);
        assertFalse(Files.exists(RunJournal.fileFor(paths.stateDir(), "g1")), "the journal is gone once the run is over");
    }

    @Test
    void aFailedStageIsAnOutcomeWithItsStatusAndAFailedSummaryNotAThrow() throws Exception {
        GuestRun.Outcome o = new GuestRun("test-image", paths, new LocalCommandRunner())
                .run("g1", tmp.resolve("logs/g1.log"), events, () -> job(of(TestStages.giving("one", "x"), TestStages.failing()), true));
        assertFalse(o.ok());
        assertEquals(ExitCodes.STAGE_FAILED, o.status());
        JxenEvent.Summary last = summaries().get(summaries().size() - 1);
        assertFalse(last.success());
        assertEquals("g1", last.fields().get("hostname"));
        assertEquals(ExitCodes.STAGE_FAILED, last.fields().get("status"));
        assertTrue(((String) last.fields().get("error")).contains("injected"), last.fields().toString());
        String log = Files.readString(tmp.resolve("logs/g1.log"));
        assertTrue(log.contains("injected") && log.contains("SUMMARY success=false"), "the failure and its summary are in the log: " + log);
    }

    @Test
    void aRefusalInTheChecksLeavesNoLogAndAnAssemblyErrorIsAnOutcomeToo() throws Exception {
        Stage<Void> refusing = new Stage<>() {
            public String name() {
                return "refusing";
            }

            public List<PlannedAction> plan(Plans plans) {
                return List.of();
            }

            public Void run(StageContext ctx) {
                throw new AssertionError("never runs: its check refused");
            }

            public void verify() {
                throw new HostStateException("not ready", "make it ready");
            }
        };
        Path log = tmp.resolve("logs/g1.log");
        GuestRun run = new GuestRun("test-image", paths, new LocalCommandRunner());
        GuestRun.Outcome refused = run.run("g1", log, events, () -> job(of(refusing), true));
        assertEquals(ExitCodes.HOST_STATE, refused.status());
        assertEquals("make it ready", summaries().get(0).fields().get("hint"));
        assertFalse(Files.exists(log), "a refused run writes no log");
        GuestRun.Outcome invalid = run.run("g2", log, events, () -> {
            throw new InvalidInputException("no such storage");
        });
        assertEquals(ExitCodes.INVALID_INPUT, invalid.status());
        assertInstanceOf(InvalidInputException.class, invalid.failure());
    }

    @Test
    void nothingToDoRunsNoStageAndWritesNoLog() throws Exception {
        Path log = tmp.resolve("logs/g1.log");
        GuestRun.Outcome o = new GuestRun("test-image", paths, new LocalCommandRunner())
                .run("g1", log, events, () -> job(of(TestStages.failing()), false));
        assertTrue(o.ok());
        assertEquals(false, summaries().get(0).fields().get("ran"));
        assertFalse(Files.exists(log));
    }

    @Test
    void whatAKilledRunLeftIsUndoneFirstAndSaidAsEventsAndInTheLog() throws Exception {
        Path made = Files.writeString(tmp.resolve("left-by-a-killed-run"), "x");
        RunJournal journal = RunJournal.start(paths.stateDir(), "g1", "test-image", false);
        new UndoStack(journal).rollback(new SystemUndo.RemoveFile(made));
        // the run is killed here: the journal stays, naming the file
        Path log = tmp.resolve("logs/g1.log");
        GuestRun.Outcome o = new GuestRun("test-image", paths, new LocalCommandRunner())
                .run("g1", log, events, () -> job(of(TestStages.giving("one", "x")), true));
        assertTrue(o.ok());
        assertFalse(Files.exists(made), "the killed run's file was removed");
        List<String> recovered = seen.stream().filter(e -> e instanceof JxenEvent.StepLog l && "recover".equals(l.stage()))
                .map(e -> ((JxenEvent.StepLog) e).text()).toList();
        assertTrue(recovered.get(0).contains("a jxen test-image of g1") && recovered.get(0).contains("did not finish"), recovered.toString());
        assertTrue(Files.readString(log).contains("did not finish"), "the recovery is in the log too");
    }

    @Test
    void aHeldLockIsTheGuestsOutcomeNotTheCommands() throws Exception {
        try (var held = dev.jxen.system.HostLock.acquire(paths.lockDir(), "g1")) {
            GuestRun.Outcome o = new GuestRun("test-image", paths, new LocalCommandRunner())
                    .run("g1", tmp.resolve("logs/g1.log"), events, () -> job(of(TestStages.giving("one", "x")), true));
            assertEquals(ExitCodes.HOST_STATE, o.status());
            assertTrue(o.failure().getMessage().contains("lock"), o.failure().getMessage());
        }
    }

    @Test
    void theWorstStatusOfSeveralGuests() {
        assertEquals(0, GuestRun.worst(List.of()));
        assertEquals(0, GuestRun.worst(List.of(outcome(0), outcome(0))));
        assertEquals(3, GuestRun.worst(List.of(outcome(0), outcome(3), outcome(0))));
        assertEquals(4, GuestRun.worst(List.of(outcome(3), outcome(4), outcome(2))));
        assertEquals(1, GuestRun.worst(List.of(outcome(4), outcome(1))));
        assertEquals(130, GuestRun.worst(List.of(outcome(1), outcome(130), outcome(4))));
        assertEquals(1, GuestRun.worst(List.of(outcome(0), outcome(77))), "a status jxen does not document is a bug's");
    }

    private static GuestRun.Outcome outcome(int status) {
        return new GuestRun.Outcome("g", status, status == 0 ? null : new JxenException(status, "x", null, null));
    }

    @Test
    void aBugIsThrownNotTurnedIntoAnOutcome() {
        assertThrows(IllegalStateException.class, () -> new GuestRun("test-image", paths, new LocalCommandRunner())
                .run("g1", tmp.resolve("logs/g1.log"), events, () -> {
                    throw new IllegalStateException("a bug");
                }));
    }
}
