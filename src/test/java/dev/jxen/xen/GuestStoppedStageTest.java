package dev.jxen.xen;

import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guest-stopped check on its own: what xl list says decides it, a running guest is refused even
 * with --force, an xl that cannot answer only with --force. This machine runs no hypervisor, so a
 * recording runner answers for xl, and a scratch file stands for /sys/hypervisor/type.
 */
class GuestStoppedStageTest {
    private static final String XL = "/opt/xen-test/bin/xl";
    private static final String LIST_HEAD = "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
            + "Domain-0                                     0   768     2     r-----      10.0\n";

    @TempDir
    Path tmp;
    private final List<JxenEvent> events = new ArrayList<>();

    /** A dom0 on Xen (its hypervisor type file says xen) or not (there is none). */
    private Dom0Paths host(boolean onXen) throws Exception {
        Path type = tmp.resolve("hypervisor-type");
        if (onXen) {
            Files.writeString(type, "xen\n");
        }
        return Dom0Paths.from(Map.of("JXEN_HYPERVISOR_TYPE", type.toString(), "JXEN_XL", XL));
    }

    private static RecordingCommandRunner xl(Function<Command, CommandResult> answer) {
        return new RecordingCommandRunner(answer);
    }

    private static CommandResult listing(String domains) {
        return new CommandResult(0, LIST_HEAD + domains, List.of());
    }

    private UndoStack run(GuestStoppedStage stage, RecordingCommandRunner runner) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(stage);
        EventHandlers h = new EventHandlers(new Redactor()).add(events::add);
        UndoStack undo = new UndoStack();
        b.build().run(runner, h, undo);
        return undo;
    }

    private List<String> logged(JxenEvent.Level level) {
        return events.stream().filter(e -> e instanceof JxenEvent.StepLog l && l.level() == level)
                .map(e -> ((JxenEvent.StepLog) e).text()).toList();
    }

    @Test
    void aGuestXlDoesNotListGoesOnAndOnlyXlListIsAsked() throws Exception {
        // guests whose names start with the guest's are other guests
        RecordingCommandRunner r = xl(c -> listing("web-2      3   512     1     -b----       1.0\nwebmail    4   512     1     -b----       1.0\n"));
        UndoStack undo = run(new GuestStoppedStage("web", false, host(true)), r);
        assertEquals(List.of(XL + " list"), r.lines());
        assertTrue(logged(JxenEvent.Level.INFO).contains("web is not running (xl list)"), events.toString());
        assertEquals(0, undo.size(), "the check makes nothing to undo");
    }

    @Test
    void aRunningGuestIsRefusedWithOrWithoutForce() throws Exception {
        Dom0Paths host = host(true);
        for (boolean force : new boolean[] {false, true}) {
            RecordingCommandRunner r = xl(c -> listing("web        7   512     1     r-----       3.0\n"));
            HostStateException e = assertThrows(HostStateException.class, () -> run(new GuestStoppedStage("web", force, host), r));
            assertEquals("web is running", e.getMessage());
            assertEquals("stop it first: xl shutdown -w web", e.hint());
            assertEquals(3, e.exitCode());
            assertEquals(List.of(XL + " list"), r.lines());
        }
    }

    @Test
    void whenXlCannotAnswerOnlyForceGoesOnAndItWarns() throws Exception {
        Dom0Paths host = host(true);
        Function<Command, CommandResult> broken = c -> new CommandResult(1, "", List.of("libxl: error: cannot init xl context"));
        HostStateException e = assertThrows(HostStateException.class, () -> run(new GuestStoppedStage("web", false, host), xl(broken)));
        assertEquals("cannot tell whether web is running: '" + XL + " list' failed (status 1): libxl: error: cannot init xl context", e.getMessage());
        assertEquals("make sure it is stopped, then give --force", e.hint());
        assertTrue(logged(JxenEvent.Level.WARN).isEmpty(), events.toString());

        RecordingCommandRunner r = xl(broken);
        run(new GuestStoppedStage("web", true, host), r);
        assertEquals(List.of(XL + " list"), r.lines());
        List<String> warned = logged(JxenEvent.Level.WARN);
        assertEquals(1, warned.size(), events.toString());
        assertTrue(warned.get(0).startsWith("cannot tell whether web is running ('" + XL + " list' failed (status 1)")
                && warned.get(0).endsWith("going on because of --force"), warned.get(0));
    }

    @Test
    void onAMachineWithoutXenNoGuestRunsAndXlIsNotAsked() throws Exception {
        RecordingCommandRunner r = xl(c -> listing("web        7   512     1     r-----       3.0\n"));
        run(new GuestStoppedStage("web", false, host(false)), r);
        assertEquals(List.of(), r.lines(), "xl was run on a machine without a hypervisor");
        assertTrue(logged(JxenEvent.Level.INFO).stream().anyMatch(t -> t.startsWith("web is not running (this machine runs on no Xen hypervisor")),
                events.toString());
    }

    @Test
    void thePlanNamesXlAndWhetherAnUnknownStateIsRefused() throws Exception {
        Dom0Paths host = host(true);
        for (boolean force : new boolean[] {false, true}) {
            Pipeline.Builder b = Pipeline.builder(false, null);
            b.add(new GuestStoppedStage("web", force, host));
            List<PlannedAction> plan = b.build().plan().get(0).actions();
            assertEquals(1, plan.size(), plan.toString());
            String text = plan.get(0).target();
            assertTrue(text.contains("check that web is not running, nor migrating (" + XL + " list); refuse if it runs"), text);
            assertEquals(!force, text.contains("or if xl cannot tell"), text);
        }
    }

    @Test
    void aGuestRunningUnderItsCfgsNameOrMigratingIsRunning() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("t1.cfg"), "name = \"web\"\nmemory = 256\n");
        RecordingCommandRunner r = xl(c -> listing("web        3   512     1     -b----       1.0\n"));
        HostStateException e = assertThrows(HostStateException.class, () -> run(new GuestStoppedStage("t1", cfg, true, host(true)), r));
        assertEquals("t1 is running as web (its .cfg's name)", e.getMessage());
        RecordingCommandRunner migrating = xl(c -> listing("t1--incoming   5   512     1     -b----       1.0\n"));
        e = assertThrows(HostStateException.class, () -> run(new GuestStoppedStage("t1", true, host(true)), migrating));
        assertEquals("t1 is running", e.getMessage());
    }
}
