package dev.jxen.storage;

import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storage still in use is refused: loop devices and volume attributes come from recorded losetup and
 * lvs answers; mounts from this machine's own mount table.
 */
class StorageInUseStageTest {
    private static final String LOSETUP = "losetup --list --noheadings --output NAME,BACK-FILE";

    @TempDir
    Path tmp;

    private static void run(String host, GuestStorage storage, StorageStageRig rig) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new StorageInUseStage(host, storage));
        rig.run(b.build());
    }

    private GuestStorage images(String host) throws Exception {
        Path d = Files.createDirectories(tmp.resolve("store/domains").resolve(host));
        Files.writeString(d.resolve("swap.img"), "");
        Files.writeString(d.resolve("disk.img"), "");
        return new GuestStorage(List.of(new GuestStorage.ImageFile(d.resolve("swap.img")), new GuestStorage.ImageFile(d.resolve("disk.img"))),
                List.of(), d);
    }

    @Test
    void imagesNoLoopDeviceHoldsPass() throws Exception {
        GuestStorage storage = images("n1");
        // another guest's image, and one whose name only starts like this guest's
        StorageStageRig rig = new StorageStageRig(c -> StorageStageRig.ok("/dev/loop0 " + tmp.resolve("store/domains/n2/disk.img") + "\n"
                + "/dev/loop1 " + tmp.resolve("store/domains/n1/disk.img.bak") + "\n"));
        run("n1", storage, rig);
        assertEquals(List.of(LOSETUP), rig.lines());
        assertEquals(List.of(), rig.registered());
    }

    @Test
    void anImageAttachedToALoopDeviceIsRefusedEvenOnceDeleted() throws Exception {
        GuestStorage storage = images("n3");
        Path disk = tmp.resolve("store/domains/n3/disk.img");
        Path swap = tmp.resolve("store/domains/n3/swap.img");
        StorageStageRig rig = new StorageStageRig(c -> StorageStageRig.ok("/dev/loop4 " + swap + " (deleted)\n/dev/loop7 " + disk + "\n"));
        HostStateException e = assertThrows(HostStateException.class, () -> run("n3", storage, rig));
        assertEquals(swap + " is attached to /dev/loop4; " + disk + " is attached to /dev/loop7", e.getMessage());
        assertTrue(e.hint().contains("jxen recover n3"), e.hint());
    }

    @Test
    void anOpenLogicalVolumeIsRefusedAndAClosedOnePasses() throws Exception {
        GuestStorage storage = new GuestStorage(List.of(new GuestStorage.LogicalVolume("vg0", "n4-swap"), new GuestStorage.LogicalVolume("vg0", "n4-disk")),
                List.of(), null);
        StorageStageRig open = new StorageStageRig(c -> StorageStageRig.ok(c.display().endsWith("vg0/n4-disk") ? "  -wi-ao----\n" : "  -wi-a-----\n"));
        HostStateException e = assertThrows(HostStateException.class, () -> run("n4", storage, open));
        assertEquals("vg0/n4-disk is open (in use by a running guest, a mount or another program)", e.getMessage());
        assertEquals(List.of(LOSETUP, "lvs --noheadings -o lv_attr vg0/n4-swap", "lvs --noheadings -o lv_attr vg0/n4-disk"), open.lines());

        StorageStageRig closed = new StorageStageRig(c -> StorageStageRig.ok("  -wi-a-----\n"));
        run("n4", storage, closed);
    }

    @Test
    void storageMountedHereIsRefusedNamingWhere() throws Exception {
        // a source this machine surely has mounted stands for the guest's storage: the procfs on /proc
        String source = Files.readAllLines(Path.of("/proc/self/mounts")).stream().map(l -> l.split(" "))
                .filter(f -> f.length > 2 && f[1].equals("/proc")).map(f -> f[0]).findFirst().orElseThrow();
        GuestStorage storage = new GuestStorage(List.of(new GuestStorage.ImageFile(Path.of(source))), List.of(), null);
        StorageStageRig rig = new StorageStageRig(c -> StorageStageRig.failed(127, "losetup: not found"));
        HostStateException e = assertThrows(HostStateException.class, () -> run("n5", storage, rig));
        assertTrue(e.getMessage().contains(source + " is mounted on /proc (through " + source + ")"), e.getMessage());
    }

    @Test
    void withoutLosetupAndNothingMountedItPasses() throws Exception {
        GuestStorage storage = images("n6");
        StorageStageRig rig = new StorageStageRig(c -> StorageStageRig.failed(127, "losetup: not found"));
        run("n6", storage, rig);
        assertEquals(List.of(LOSETUP), rig.lines());
    }

    @Test
    void anImageReachedThroughALinkIsKnownByItsRealPathAndOneAProgramHoldsOpenIsRefused() throws Exception {
        images("n5");
        Path linked = Files.createSymbolicLink(tmp.resolve("xen"), tmp.resolve("store"));
        Path disk = linked.resolve("domains/n5/disk.img");
        GuestStorage storage = new GuestStorage(List.of(new GuestStorage.ImageFile(disk)), List.of(), disk.getParent());
        Path real = disk.toRealPath();
        StorageStageRig rig = new StorageStageRig(c -> StorageStageRig.ok("/dev/loop3 " + real + "\n"));
        HostStateException e = assertThrows(HostStateException.class, () -> run("n5", storage, rig));
        assertEquals(disk + " is attached to /dev/loop3", e.getMessage(), "the kernel names the file by its real path");

        Process holder = new ProcessBuilder("sh", "-c", "exec 3<\"$0\"; echo held; exec sleep 30", real.toString()).start();
        try {
            assertEquals("held", new String(holder.getInputStream().readNBytes(5)).strip());
            StorageStageRig none = new StorageStageRig(c -> StorageStageRig.ok(""));
            e = assertThrows(HostStateException.class, () -> run("n5", storage, none));
            assertTrue(e.getMessage().contains(disk + " is open in process " + holder.pid()), e.getMessage());
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }
}
