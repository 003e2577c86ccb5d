package dev.jxen.lifecycle;

import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.storage.GuestStorage;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.RecordingCommandRunner;
import dev.jxen.xen.DomUConfigFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A delete removes exactly what the guest owns, never by a name prefix, and nothing unless the guest
 * is known to be stopped. LVM and xl cannot run on this machine (no device-mapper, no hypervisor), so
 * a recording runner answers for lvs, lvremove and xl; the Xen rig deletes real volumes.
 */
class DeleteGuestTest {
    private static final String VOLUMES = "  web-disk\n  web-swap\n  web-2-disk\n  web-2-swap\n  web-db-disk\n  webmail-disk\n  other\n";
    @TempDir
    Path tmp;
    Path hypervisor;
    List<JxenEvent> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        hypervisor = tmp.resolve("hypervisor-type");
    }

    private Dom0Paths paths(String xl) {
        return Dom0Paths.from(Map.of("JXEN_HYPERVISOR_TYPE", hypervisor.toString(), "JXEN_XL", xl, "JXEN_LOCK_DIR", tmp.resolve("locks").toString()));
    }

    /** lvs lists VOLUMES; xl list answers with {@code xl}; everything else succeeds. */
    private static RecordingCommandRunner runner(Function<Command, CommandResult> xl) {
        return new RecordingCommandRunner(c -> {
            String tool = c.argv().get(0);
            if (tool.equals("xl-standin")) {
                return xl.apply(c);
            }
            if (tool.equals("lvs") && c.argv().get(c.argv().size() - 1).equals("vg0")) {
                return new CommandResult(0, VOLUMES, List.of());
            }
            if (tool.equals("lvs") && c.argv().contains("lv_name")) {
                String lv = c.argv().get(c.argv().size() - 1).replace("vg0/", "");
                return VOLUMES.contains("  " + lv + "\n") ? new CommandResult(0, "  " + lv + "\n", List.of())
                        : new CommandResult(5, "", List.of("  Failed to find logical volume \"vg0/" + lv + "\""));
            }
            return new CommandResult(0, "", List.of());
        });
    }

    private static CommandResult stoppedList(Command c) {
        return new CommandResult(0, "Name   ID   Mem VCPUs      State   Time(s)\nDomain-0  0  768  2  r-----  10.0\nweb-2  3  512  1  -b----  1.0\n", List.of());
    }

    private void run(Pipeline p, RecordingCommandRunner runner) {
        EventHandlers h = new EventHandlers(new Redactor());
        h.add(events::add);
        p.run(runner, h, new UndoStack());
    }

    private static List<String> removals(RecordingCommandRunner r) {
        return r.lines().stream().filter(l -> l.startsWith("lvremove") || l.startsWith("zfs destroy")).toList();
    }

    @Test
    void deletingWebLeavesWeb2AndWebDbAndListsThem() throws Exception {
        Files.writeString(hypervisor, "xen\n");
        RecordingCommandRunner r = runner(DeleteGuestTest::stoppedList);
        GuestStorage s = GuestStorage.find("web", Optional.empty(), new dev.jxen.config.StorageTarget.Lvm("vg0"),
                List.of("swap", "disk"), List.of(), r);
        assertEquals(List.of("vg0/web-disk", "vg0/web-swap"), s.owned().stream().map(GuestStorage.Owned::describe).toList());
        assertEquals(3, s.leftAlone().size(), s.leftAlone().toString());
        assertTrue(s.leftAlone().get(0).startsWith("vg0/web-2-disk: not one of web's volumes"), s.leftAlone().toString());
        run(DeleteGuest.pipeline("web", s, tmp.resolve("web.cfg"), tmp.resolve("auto"), false, paths("xl-standin")), r);
        assertEquals(List.of("lvremove --yes vg0/web-disk", "lvremove --yes vg0/web-swap"), removals(r));
    }

    @Test
    void withACfgItsDisksAreRemovedExactlyAndASharedOrReadOnlyDiskIsLeftAlone() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("web.cfg"), "name = 'web'\ndisk = [ 'format=raw, vdev=xvda2, access=rw, target=/dev/vg0/web-disk',"
                + " 'phy:/dev/vg0/web-swap,xvda1,w', 'phy:/dev/vg0/webmail-disk,xvdb,w', 'format=raw, vdev=xvdc, access=ro, target=/dev/vg0/other' ]\n");
        DomUConfigFile other = DomUConfigFile.parse(tmp.resolve("webmail.cfg"), "disk = [ 'phy:/dev/vg0/webmail-disk,xvda2,w' ]\n");
        RecordingCommandRunner r = runner(DeleteGuestTest::stoppedList);
        GuestStorage s = GuestStorage.find("web", Optional.of(DomUConfigFile.read(cfg)), null, List.of("swap", "disk"), List.of(other), r);
        assertEquals(List.of("vg0/web-disk", "vg0/web-swap"), s.owned().stream().map(GuestStorage.Owned::describe).toList());
        assertEquals(List.of("/dev/vg0/webmail-disk: another guest's .cfg names it too", "/dev/vg0/other: read-only in " + cfg + ", perhaps shared"),
                s.leftAlone());
        run(DeleteGuest.pipeline("web", s, cfg, tmp.resolve("auto"), false, paths("xl-standin")), r);
        assertEquals(List.of("lvremove --yes vg0/web-disk", "lvremove --yes vg0/web-swap"), removals(r));
        assertFalse(Files.exists(cfg), "the .cfg was left");
    }

    @Test
    void anotherGuestsDiskNamedThroughDotsOrALinkIsStillAnotherGuestsAndARelativeTargetIsNobodys() throws Exception {
        Path store = Files.createDirectories(tmp.resolve("store/domains"));
        Path webDisk = Files.writeString(Files.createDirectories(store.resolve("web")).resolve("disk.img"), "");
        Path t2Disk = Files.writeString(Files.createDirectories(store.resolve("t2")).resolve("disk.img"), "");
        Path link = Files.createSymbolicLink(tmp.resolve("xen"), tmp.resolve("store"));
        Path cfg = Files.writeString(tmp.resolve("t2.cfg"), "name = 't2'\ndisk = [ 'format=raw, vdev=xvda2, access=rw, target=" + t2Disk + "',"
                + " 'format=raw, vdev=xvdb, access=rw, target=" + store + "/t2/../web/disk.img', 'format=raw, vdev=xvdc, access=rw, target=web/disk.img' ]\n");
        DomUConfigFile web = DomUConfigFile.parse(tmp.resolve("web.cfg"), "disk = [ 'format=raw, vdev=xvda2, access=rw, target="
                + link.resolve("domains/web/disk.img") + "' ]\n");
        GuestStorage s = GuestStorage.find("t2", Optional.of(DomUConfigFile.read(cfg)), null, List.of("disk"), List.of(web), runner(DeleteGuestTest::stoppedList));
        assertEquals(List.of(t2Disk.toString()), s.owned().stream().map(GuestStorage.Owned::describe).toList());
        assertTrue(s.leftAlone().get(0).startsWith(store + "/t2/../web/disk.img: not a plain absolute path"), s.leftAlone().toString());
        assertTrue(s.leftAlone().get(1).startsWith("web/disk.img: not a plain absolute path"), s.leftAlone().toString());
        Path plainAlias = Files.writeString(tmp.resolve("t3.cfg"), "name = 't3'\ndisk = [ 'format=raw, vdev=xvda2, access=rw, target=" + webDisk + "' ]\n");
        GuestStorage t3 = GuestStorage.find("t3", Optional.of(DomUConfigFile.read(plainAlias)), null, List.of("disk"), List.of(web),
                runner(DeleteGuestTest::stoppedList));
        assertEquals(List.of(webDisk + ": another guest's .cfg names it too"), t3.leftAlone(), "web names it through a link");
        assertTrue(Files.exists(webDisk));
    }

    @Test
    void whenXlCannotTellNothingIsRemovedUnlessForced() throws Exception {
        Files.writeString(hypervisor, "xen\n");
        RecordingCommandRunner r = runner(c -> new CommandResult(1, "", List.of("libxl: error: cannot init xl context")));
        GuestStorage s = GuestStorage.find("web", Optional.empty(), new dev.jxen.config.StorageTarget.Lvm("vg0"),
                List.of("swap", "disk"), List.of(), r);
        HostStateException e = assertThrows(HostStateException.class,
                () -> run(DeleteGuest.pipeline("web", s, tmp.resolve("web.cfg"), tmp.resolve("auto"), false, paths("xl-standin")), r));
        assertEquals(3, e.exitCode());
        assertTrue(e.getMessage().contains("cannot tell whether web is running") && e.getMessage().contains("cannot init xl context"), e.getMessage());
        assertEquals(List.of(), removals(r));
        run(DeleteGuest.pipeline("web", s, tmp.resolve("web.cfg"), tmp.resolve("auto"), true, paths("xl-standin")), r);
        assertEquals(2, removals(r).size());
        assertTrue(events.stream().anyMatch(ev -> ev instanceof JxenEvent.StepLog l && l.level() == JxenEvent.Level.WARN
                && l.text().contains("going on because of --force")));
    }

    @Test
    void aRunningGuestIsNeverRemovedEvenWithForce() throws Exception {
        Files.writeString(hypervisor, "xen\n");
        RecordingCommandRunner r = runner(c -> new CommandResult(0, "Name ID Mem VCPUs State Time(s)\nweb 7 512 1 r----- 3.0\n", List.of()));
        GuestStorage s = GuestStorage.find("web", Optional.empty(), new dev.jxen.config.StorageTarget.Lvm("vg0"),
                List.of("swap", "disk"), List.of(), r);
        HostStateException e = assertThrows(HostStateException.class,
                () -> run(DeleteGuest.pipeline("web", s, tmp.resolve("web.cfg"), tmp.resolve("auto"), true, paths("xl-standin")), r));
        assertEquals("web is running", e.getMessage());
        assertEquals(List.of(), removals(r));
    }

    @Test
    void imageFilesOfTheLayoutAreRemovedAndOthersInTheDirectoryKept() throws Exception {
        Path domain = Files.createDirectories(tmp.resolve("store/domains/web"));
        Files.writeString(domain.resolve("disk.img"), "x");
        Files.writeString(domain.resolve("swap.img"), "x");
        Files.writeString(domain.resolve("notes.txt"), "the admin's own file");
        Files.createDirectories(tmp.resolve("store/domains/web-2"));
        Files.writeString(tmp.resolve("store/domains/web-2/disk.img"), "x");
        RecordingCommandRunner r = runner(DeleteGuestTest::stoppedList);
        GuestStorage s = GuestStorage.find("web", Optional.empty(), new dev.jxen.config.StorageTarget.Dir(tmp.resolve("store")),
                List.of("swap", "disk"), List.of(), r);
        assertEquals(List.of(domain.resolve("notes.txt") + ": not one of web's images"), s.leftAlone());
        run(DeleteGuest.pipeline("web", s, tmp.resolve("web.cfg"), tmp.resolve("auto"), false, paths("xl-standin")), r);
        assertFalse(Files.exists(domain.resolve("disk.img")));
        assertTrue(Files.exists(domain.resolve("notes.txt")));
        assertTrue(Files.exists(tmp.resolve("store/domains/web-2/disk.img")), "another guest's image was removed");
    }

    @Test
    void theDryRunPlanComesFromTheSameStages() throws Exception {
        RecordingCommandRunner r = runner(DeleteGuestTest::stoppedList);
        GuestStorage s = GuestStorage.find("web", Optional.empty(), new dev.jxen.config.StorageTarget.Lvm("vg0"),
                List.of("swap", "disk"), List.of(), r);
        Pipeline p = DeleteGuest.pipeline("web", s, tmp.resolve("web.cfg"), tmp.resolve("auto"), false, paths("xl-standin"));
        List<String> plan = p.plan().stream().flatMap(st -> st.actions().stream()).map(a -> a.kind() + " " + a.target()).toList();
        assertTrue(plan.contains("run lvremove --yes vg0/web-disk"), plan.toString());
        assertTrue(plan.stream().anyMatch(a -> a.startsWith("note left alone: vg0/web-db-disk")), plan.toString());
        assertEquals(List.of("guest stopped", "storage in use", "remove storage", "remove config"),
                p.plan().stream().map(Pipeline.StagePlan::stage).toList());
    }

    @Test
    void anImageStillAttachedToALoopDeviceIsRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for losetup");
        Path domain = Files.createDirectories(tmp.resolve("store/domains/web"));
        Path disk = domain.resolve("disk.img");
        try (var f = new java.io.RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(8 << 20);
        }
        Process p = new ProcessBuilder("losetup", "--find", "--show", disk.toString()).start();
        String loop = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor());
        try {
            var real = new dev.jxen.system.LocalCommandRunner();
            GuestStorage s = GuestStorage.find("web", Optional.empty(), new dev.jxen.config.StorageTarget.Dir(tmp.resolve("store")),
                    List.of("swap", "disk"), List.of(), real);
            HostStateException e = assertThrows(HostStateException.class, () -> {
                EventHandlers h = new EventHandlers(new Redactor());
                DeleteGuest.pipeline("web", s, tmp.resolve("web.cfg"), tmp.resolve("auto"), false, paths("xl-standin")).run(real, h, new UndoStack());
            });
            assertTrue(e.getMessage().contains(disk + " is attached to " + loop), e.getMessage());
            assertTrue(e.hint().contains("jxen recover web"), e.hint());
            assertTrue(Files.exists(disk), "an image in use was removed");
        } finally {
            new ProcessBuilder("losetup", "--detach", loop).start().waitFor();
        }
    }
}
