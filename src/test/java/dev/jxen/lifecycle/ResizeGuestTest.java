package dev.jxen.lifecycle;

import dev.jxen.config.Size;
import dev.jxen.error.HostStateException;
import dev.jxen.error.InvalidInputException;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.RunWithoutVerify;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.storage.DiskGrowth;
import dev.jxen.storage.DiskNow;
import dev.jxen.storage.GrowableDisk;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A resize of a guest on LVM (plain and thin) and on ZFS, through a recording runner that answers for
 * lvs, zfs, blkid, od (the superblock) and xl as a dom0 with those would: this machine has no device-mapper, no
 * ZFS and no hypervisor. Image files are resized for real in ResizeImageIT.
 */
class ResizeGuestTest {
    private static final long G = 1L << 30;
    @TempDir
    Path tmp;
    List<JxenEvent> events = new ArrayList<>();

    /** What the recording runner answers: a dom0 with one guest, web, stopped, whose root is an ext4 on vg0/web-disk (or tank/web-disk). */
    final class Dom0 {
        String xlList = "Name   ID   Mem VCPUs      State   Time(s)\nDomain-0  0  768  2  r-----  10.0\n";
        int xlStatus = 0;
        String lv = "  2147483648,-wi-a-----,,5368709120,4194304\n";
        String pool = "  10737418240,95.00\n";
        String zvol = "2147483648\n2214592512\n8192\n";
        String zfsAvailable = "5368709120\n";
        long fsBytes = 2 * G;
        long diskBytes = 2 * G;
        boolean resize2fsFails;

        CommandResult answer(Command c) {
            List<String> a = c.argv();
            String tool = a.get(0);
            String last = a.get(a.size() - 1);
            switch (tool) {
                case "xl-standin":
                    return new CommandResult(xlStatus, xlStatus == 0 ? xlList : "", xlStatus == 0 ? List.of() : List.of("cannot init xl context"));
                case "lvs":
                    if (a.contains("lv_name")) {
                        return ok("  " + last.substring(last.indexOf('/') + 1) + "\n");
                    }
                    return ok(a.contains("lv_size,data_percent") ? pool : lv);
                case "zfs":
                    if (a.get(1).equals("get")) {
                        return ok(a.contains("available") ? zfsAvailable : zvol);
                    }
                    if (a.get(1).equals("set")) {
                        diskBytes = Long.parseLong(a.get(2).substring("volsize=".length()));
                    }
                    return ok("");
                case "lvextend":
                case "lvreduce":
                    diskBytes = Long.parseLong(a.get(a.indexOf("--size") + 1).replace("b", ""));
                    return ok("");
                case "blkid":
                    return ok("ext4\n");
                case "od":
                    return dev.jxen.storage.Superblocks.ext4Answer(fsBytes);
                case "resize2fs":
                    if (resize2fsFails) {
                        return new CommandResult(1, "", List.of("resize2fs: Input/output error"));
                    }
                    fsBytes = diskBytes;
                    return ok("");
                default:
                    return ok("");
            }
        }
    }

    Dom0 dom0 = new Dom0();
    RecordingCommandRunner runner = new RecordingCommandRunner(c -> dom0.answer(c));
    Path hypervisor;

    @BeforeEach
    void setUp() throws Exception {
        hypervisor = Files.writeString(tmp.resolve("hypervisor-type"), "xen\n");
    }

    private static CommandResult ok(String out) {
        return new CommandResult(0, out, List.of());
    }

    private Dom0Paths paths(String faultAfter) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("JXEN_HYPERVISOR_TYPE", hypervisor.toString(), "JXEN_XL", "xl-standin",
                "JXEN_LOCK_DIR", tmp.resolve("locks").toString(), "JXEN_WORK_DIR", tmp.resolve("work").toString(), "JXEN_STATE_DIR", tmp.resolve("state").toString()));
        if (faultAfter != null) {
            env.put("JXEN_FAULT_AFTER_STAGE", faultAfter);
        }
        return Dom0Paths.from(env);
    }

    private GuestStorage storage(String root) throws Exception {
        Path cfg = Files.writeString(tmp.resolve("web.cfg"), "name = 'web'\nroot = '/dev/xvda2 ro'\ndisk = [ 'format=raw, vdev=xvda2, access=rw, target="
                + root + "', 'format=raw, vdev=xvda1, access=rw, target=" + root.replace("-disk", "-swap") + "' ]\n");
        return GuestStorage.find("web", Optional.of(DomUConfigFile.read(cfg)), null, List.of("swap", "disk"), List.of(), runner);
    }

    private DiskGrowth growth(String root, Size add, Size size) throws Exception {
        Path cfg = tmp.resolve("web.cfg");
        GuestStorage s = storage(root);
        GrowableDisk disk = GrowableDisk.find("web", Optional.of(DomUConfigFile.read(cfg)), null, "/", List.of(), s);
        return DiskGrowth.of(disk, DiskNow.measure(disk, runner), add, size);
    }

    private ResizeGuest.Stages stages(String root, Size add, String faultAfter) throws Exception {
        return ResizeGuest.pipeline("web", tmp.resolve("web.cfg"), storage(root), growth(root, add, null), paths(faultAfter));
    }

    private void run(ResizeGuest.Stages s) throws Exception {
        EventHandlers h = new EventHandlers(new Redactor());
        h.add(events::add);
        RunWithoutVerify.run(s.pipeline(), s.filesystemBytes(), runner, h, new UndoStack(), false);
    }

    /** What the stages ran that changes or checks the disk: the grows, the shrinks, the filesystem tools. */
    private List<String> changes() {
        return runner.lines().stream().filter(l -> l.matches("^(lvextend|lvreduce|zfs set|e2fsck|resize2fs|truncate|fallocate) .*")).toList();
    }

    @Test
    void aPlainLogicalVolumeGrowsByLvextendThenResize2fs() throws Exception {
        ResizeGuest.Stages s = stages("/dev/vg0/web-disk", Size.parse("1G", true), null);
        run(s);
        assertEquals(List.of("e2fsck -f -p /dev/vg0/web-disk", "lvextend --size 3221225472b vg0/web-disk", "resize2fs /dev/vg0/web-disk",
                "e2fsck -n -f /dev/vg0/web-disk"), changes());
        assertEquals(3 * G, dom0.fsBytes);
    }

    @Test
    void aBareAddIsMebibytesRoundedUpToTheExtentSize() throws Exception {
        DiskGrowth g = growth("/dev/vg0/web-disk", Size.parse("1", true), null);
        assertEquals(2 * G + (4 << 20), g.newBytes(), "1M more, rounded up to the 4M extent");
        assertEquals("lvextend --size 2151677952b vg0/web-disk", g.grow().display());
    }

    @Test
    void aVolumeGroupWithoutRoomIsRefusedBeforeAnythingChanges() throws Exception {
        dom0.lv = "  2147483648,-wi-a-----,,536870912,4194304\n";
        ResizeGuest.Stages s = stages("/dev/vg0/web-disk", Size.parse("1G", true), null);
        HostStateException e = assertThrows(HostStateException.class, () -> run(s));
        assertEquals("volume group vg0 has 512M free; growing /dev/vg0/web-disk by 1024M needs 1024M there", e.getMessage());
        assertEquals(List.of(), changes(), "nothing ran that writes, not even e2fsck's preen");
    }

    @Test
    void aThinVolumeNeedsRoomInItsPoolOnlyForWhatItsFilesystemWrites() throws Exception {
        dom0.lv = "  2147483648,Vwi-a-tz--,pool0,0,4194304\n";
        ResizeGuest.Stages s = stages("/dev/vg0/web-disk", Size.parse("1G", true), null);
        run(s);
        assertTrue(runner.lines().contains("lvs --noheadings --nosuffix --units b --separator , -o lv_size,data_percent vg0/pool0"), runner.lines().toString());
        assertTrue(changes().contains("lvextend --size 3221225472b vg0/web-disk"), changes().toString());
        dom0.pool = "  10737418240,99.90\n";
        HostStateException e = assertThrows(HostStateException.class, () -> run(stages("/dev/vg0/web-disk", Size.parse("1G", true), null)));
        assertTrue(e.getMessage().startsWith("thin pool vg0/pool0 has 10M free; growing /dev/vg0/web-disk by 1024M needs 32M there"), e.getMessage());
    }

    @Test
    void aZfsVolumeGrowsByItsVolsize() throws Exception {
        ResizeGuest.Stages s = stages("/dev/zvol/tank/web-disk", Size.parse("1G", true), null);
        run(s);
        assertEquals(List.of("e2fsck -f -p /dev/zvol/tank/web-disk", "zfs set volsize=3221225472 tank/web-disk", "resize2fs /dev/zvol/tank/web-disk",
                "e2fsck -n -f /dev/zvol/tank/web-disk"), changes());
        assertTrue(runner.lines().contains("zfs get -Hp -o value available tank"), runner.lines().toString());
    }

    @Test
    void aReservedZfsVolumeNeedsAllThatIsAddedInItsParent() throws Exception {
        dom0.zfsAvailable = "1073741823\n";
        HostStateException e = assertThrows(HostStateException.class, () -> run(stages("/dev/zvol/tank/web-disk", Size.parse("1G", true), null)));
        assertEquals("dataset tank has 1023M free; growing /dev/zvol/tank/web-disk by 1024M needs 1024M there", e.getMessage());
        assertEquals(List.of(), changes());
    }

    @Test
    void aFailureBeforeTheFilesystemIsTouchedReducesTheVolumeBack() throws Exception {
        ResizeGuest.Stages s = stages("/dev/vg0/web-disk", Size.parse("1G", true), null);
        // the fault: the pipeline fails right after the disk grew, as JXEN_FAULT_AFTER_STAGE does
        Pipeline.Builder b = Pipeline.builder(false, "grow disk");
        s.pipeline().stages().forEach(b::add);
        Pipeline faulty = b.build();
        UndoStack undo = new UndoStack();
        assertThrows(StageFailedException.class, () -> faulty.run(runner, new EventHandlers(new Redactor()), undo));
        assertEquals(List.of("e2fsck -f -p /dev/vg0/web-disk", "lvextend --size 3221225472b vg0/web-disk",
                "lvreduce --yes --force --size 2147483648b vg0/web-disk"), changes());
        assertEquals(2 * G, dom0.diskBytes);
    }

    @Test
    void aVolumeWhoseFilesystemToolFailedIsLeftGrownNeverReduced() throws Exception {
        dom0.resize2fsFails = true;
        ResizeGuest.Stages s = stages("/dev/vg0/web-disk", Size.parse("1G", true), null);
        StageFailedException e = assertThrows(StageFailedException.class, () -> run(s));
        assertTrue(e.getMessage().endsWith("; /dev/vg0/web-disk is left at its new size of 3221225472 bytes: a volume is reduced back only "
                + "before its filesystem's tool starts"), e.getMessage());
        assertEquals(List.of("e2fsck -f -p /dev/vg0/web-disk", "lvextend --size 3221225472b vg0/web-disk", "resize2fs /dev/vg0/web-disk"), changes());
    }

    @Test
    void aRunningGuestIsRefusedAndNothingIsTouched() throws Exception {
        dom0.xlList += "web  7  512  1  -b----  3.0\n";
        ResizeGuest.Stages s = stages("/dev/vg0/web-disk", Size.parse("1G", true), null);
        int before = runner.lines().size();
        HostStateException e = assertThrows(HostStateException.class, () -> run(s));
        assertEquals("web is running", e.getMessage());
        assertEquals(List.of("xl-standin list"), runner.lines().subList(before, runner.lines().size()));
    }

    @Test
    void aGuestWhoseStateXlCannotTellIsRefused() throws Exception {
        dom0.xlStatus = 1;
        ResizeGuest.Stages s = stages("/dev/vg0/web-disk", Size.parse("1G", true), null);
        HostStateException e = assertThrows(HostStateException.class, () -> run(s));
        assertTrue(e.getMessage().startsWith("cannot tell whether web is running"), e.getMessage());
        assertEquals(List.of(), changes());
    }

    @Test
    void aKilledResizesUndoIsReadBackFromItsJournal() {
        dev.jxen.system.Undo u = RunState.kinds(paths(null)).make("shrink-disk", Map.of("guest", "web", "disk", "zvol", "target", "tank/web-disk",
                "bytes", "2147483648", "fs", "xfs"));
        assertEquals("put tank/web-disk back to its old size (2147483648 bytes) unless web runs, the disk is in use or its filesystem has grown "
                + "past it", u.describe());
    }

    /** A 16M ext4 image grown to 32M, as a resize killed after the grow and before resize2fs leaves it. */
    private Path grownExt4Image() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.jxen.system.ToolCheck.find("mkfs.ext4").isPresent(), "needs e2fsprogs");
        Path img = tmp.resolve("disk.img");
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        assertEquals(0, new ProcessBuilder("mkfs.ext4", "-q", "-F", img.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor());
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(32L << 20);
        }
        return img;
    }

    @Test
    void aKilledResizeIsUndoneFromItsJournalByTheNextRun() throws Exception {
        Path img = grownExt4Image();
        Files.writeString(hypervisor, "none\n"); // no Xen here: the guest runs nowhere, as xl cannot be asked
        Dom0Paths p = paths(null);
        dev.jxen.pipeline.RunJournal journal = dev.jxen.pipeline.RunJournal.start(p.stateDir(), "web", "resize-image", false);
        new UndoStack(journal).rollback(new dev.jxen.storage.ShrinkDisk("web", new GuestStorage.ImageFile(img), 16L << 20, "ext4", p));
        // killed here, after the grow and before resize2fs: the journal stays
        List<String> lines = RunState.recover("web", p, new dev.jxen.system.LocalCommandRunner());
        assertTrue(lines.get(0).contains("a jxen resize-image of web") && lines.get(1).contains("undo: put " + img + " back"), lines.toString());
        assertEquals("    truncated " + img + " back to " + (16L << 20) + " bytes (its ext4 filesystem spans " + (16L << 20) + ")", lines.get(2));
        assertEquals(16L << 20, Files.size(img));
        assertEquals(0, new ProcessBuilder("e2fsck", "-n", "-f", img.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(), "not clean after the undo");
        assertTrue(RunState.recover("web", p, new dev.jxen.system.LocalCommandRunner()).isEmpty(), "the journal was left");
    }

    @Test
    void aKilledResizesUndoLeavesTheDiskGrownWhenTheGuestMayRunAndSaysSo() throws Exception {
        Path img = grownExt4Image();
        // a Xen host whose xl cannot answer (xl-standin is no program): whether web started since the kill cannot be told
        Dom0Paths p = paths(null);
        dev.jxen.pipeline.RunJournal journal = dev.jxen.pipeline.RunJournal.start(p.stateDir(), "web", "resize-image", false);
        new UndoStack(journal).rollback(new dev.jxen.storage.ShrinkDisk("web", new GuestStorage.ImageFile(img), 16L << 20, "ext4", p));
        List<String> lines = RunState.recover("web", p, new dev.jxen.system.LocalCommandRunner());
        assertTrue(lines.get(2).startsWith("    warning: left " + img + " at its new size, not cut back to " + (16L << 20) + " bytes: whether web "
                + "runs cannot be told ('xl-standin list' failed"), lines.toString());
        assertEquals(32L << 20, Files.size(img), "cut under a guest that may run");
        assertTrue(RunState.recover("web", p, new dev.jxen.system.LocalCommandRunner()).isEmpty(), "the entry is dropped, with the warning");
    }

    @Test
    void aKilledResizesUndoReducesNoVolumeOfARunningGuest() throws Exception {
        Dom0Paths p = paths(null);
        dev.jxen.pipeline.RunJournal journal = dev.jxen.pipeline.RunJournal.start(p.stateDir(), "web", "resize-image", false);
        new UndoStack(journal).rollback(new dev.jxen.storage.ShrinkDisk("web", new GuestStorage.LogicalVolume("vg0", "web-disk"), 2 * G, "ext4", p));
        dom0.xlList += "web  7  512  1  -b----  3.0\n";
        List<String> undo = new ArrayList<>();
        dev.jxen.pipeline.RunJournal.read(dev.jxen.pipeline.RunJournal.fileFor(p.stateDir(), "web"), RunState.kinds(p)).orElseThrow().undo()
                .unwind(true, false, runner, undo::add);
        assertTrue(undo.get(1).startsWith("  warning: left /dev/vg0/web-disk at its new size, not cut back to 2147483648 bytes: web is running"), undo.toString());
        assertEquals(List.of(), changes(), "no lvreduce under a running guest");
        dom0.xlList = dom0.xlList.replace("web  7", "other  7");
        undo.clear();
        dev.jxen.storage.ShrinkDisk.Outcome o = new dev.jxen.storage.ShrinkDisk("web", new GuestStorage.LogicalVolume("vg0", "web-disk"), 2 * G, "ext4", p)
                .apply(runner);
        assertEquals("reduced vg0/web-disk back to 2147483648 bytes with 'lvreduce --yes --force --size 2147483648b vg0/web-disk' (its ext4 "
                + "filesystem spans 2147483648)", o.what());
        assertEquals(List.of("lvreduce --yes --force --size 2147483648b vg0/web-disk"), changes());
    }

    @Test
    void aShrinkIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> growth("/dev/vg0/web-disk", null, Size.parse("1G", false)));
        assertTrue(e.getMessage().startsWith("--size 1G is not larger than /dev/vg0/web-disk, which has 2G now: jxen-resize-image grows disks "
                + "and never shrinks one"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> growth("/dev/vg0/web-disk", null, Size.parse("2G", false)), "the same size is no grow");
        assertEquals(List.of(), changes());
    }

    @Test
    void theDryRunPlanNamesTheDiskAndTheCommands() throws Exception {
        List<String> plan = stages("/dev/vg0/web-disk", Size.parse("1G", true), null).pipeline().plan().stream()
                .flatMap(p -> p.actions().stream().map(a -> p.stage() + ": " + a.kind() + " " + a.target())).toList();
        assertTrue(plan.contains("check filesystem: note /dev/vg0/web-disk (xvda2, mounted at /) holds ext4; it is the disk that 'root' in "
                + tmp.resolve("web.cfg") + " names"), plan.toString());
        assertTrue(plan.contains("check filesystem: run e2fsck -f -p /dev/vg0/web-disk"), plan.toString());
        assertTrue(plan.contains("grow disk: run lvextend --size 3221225472b vg0/web-disk"), plan.toString());
        assertTrue(plan.contains("grow filesystem: run resize2fs /dev/vg0/web-disk"), plan.toString());
        assertEquals(List.of("guest stopped", "storage in use", "check room", "check filesystem", "grow disk", "grow filesystem"),
                stages("/dev/vg0/web-disk", Size.parse("1G", true), null).pipeline().plan().stream().map(Pipeline.StagePlan::stage).toList());
    }
}
