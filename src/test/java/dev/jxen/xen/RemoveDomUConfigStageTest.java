package dev.jxen.xen;

import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The last step of a delete: the guest's .cfg goes, and its /etc/xen/auto link only when that link
 * leads to this .cfg; another guest's link, or a file of the admin's, of the same name stays.
 */
class RemoveDomUConfigStageTest {
    @TempDir
    Path tmp;
    Path xen;
    Path auto;
    Path cfg;
    private final List<String> info = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        xen = Files.createDirectories(tmp.resolve("etc/xen"));
        auto = Files.createDirectories(xen.resolve("auto"));
        cfg = xen.resolve("web.cfg");
    }

    private UndoStack run() {
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new RemoveDomUConfigStage(cfg, auto));
        EventHandlers h = new EventHandlers(new Redactor()).add(e -> {
            if (e instanceof JxenEvent.StepLog l && l.level() == JxenEvent.Level.INFO) {
                info.add(l.text());
            }
        });
        RecordingCommandRunner r = new RecordingCommandRunner();
        UndoStack undo = new UndoStack();
        b.build().run(r, h, undo);
        assertEquals(List.of(), r.lines(), "removing files runs no command");
        return undo;
    }

    private List<String> plan() {
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new RemoveDomUConfigStage(cfg, auto));
        return b.build().plan().get(0).actions().stream().map(a -> a.kind() + " " + a.target()).toList();
    }

    @Test
    void theCfgAndItsAutostartLinkGoWhetherTheLinkIsAbsoluteOrRelative() throws Exception {
        for (Path target : List.of(cfg, Path.of("../web.cfg"))) {
            Files.writeString(cfg, "name = 'web'\n");
            Path link = Files.createSymbolicLink(auto.resolve("web.cfg"), target);
            assertEquals(List.of("remove " + link, "remove " + cfg), plan(), "link to " + target);
            UndoStack undo = run();
            assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the autostart link to " + target + " stayed");
            assertFalse(Files.exists(cfg), "the .cfg stayed");
            assertEquals(0, undo.size());
        }
        assertEquals(List.of("removed " + auto.resolve("web.cfg"), "removed " + cfg, "removed " + auto.resolve("web.cfg"), "removed " + cfg), info);
    }

    @Test
    void aLinkToAnotherCfgOfTheSameNameAndAFileOfTheAdminsStay() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("elsewhere")).resolve("web.cfg");
        Files.writeString(other, "name = 'web' # another host's guest\n");
        Files.writeString(cfg, "name = 'web'\n");
        Path link = Files.createSymbolicLink(auto.resolve("web.cfg"), other);
        assertEquals(List.of("remove " + cfg), plan());
        run();
        assertFalse(Files.exists(cfg));
        assertTrue(Files.isSymbolicLink(link), "a link to another .cfg was removed");
        assertEquals(other, Files.readSymbolicLink(link));

        Files.delete(link);
        Files.writeString(cfg, "name = 'web'\n");
        Files.writeString(auto.resolve("web.cfg"), "a copy, not a link\n");
        run();
        assertFalse(Files.exists(cfg));
        assertEquals("a copy, not a link\n", Files.readString(auto.resolve("web.cfg")));
    }

    @Test
    void withoutACfgNothingIsRemovedAndNothingFails() throws Exception {
        Files.writeString(xen.resolve("web-2.cfg"), "name = 'web-2'\n");
        assertEquals(List.of("note no " + cfg), plan());
        run();
        assertTrue(Files.exists(xen.resolve("web-2.cfg")), "another guest's .cfg was removed");
        assertEquals(List.of(), info);
    }

    @Test
    void anAutostartLinkLeftToACfgAlreadyGoneIsRemoved() throws Exception {
        Path link = Files.createSymbolicLink(auto.resolve("web.cfg"), cfg);
        assertEquals(List.of("remove " + link, "note no " + cfg), plan());
        run();
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the dangling autostart link stayed");
        assertEquals(List.of("removed " + link), info);
    }
}
