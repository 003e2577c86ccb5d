package dev.jxen.storage;

import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.TestStages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What jxen-delete-image removes: image files for real in a temporary directory, volumes through recorded commands. */
class RemoveStorageStageTest {
    @TempDir
    Path tmp;

    private Path dir(String host) {
        return tmp.resolve("store/domains").resolve(host);
    }

    private static Pipeline pipeline(String host, GuestStorage storage, boolean fail) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new RemoveStorageStage(host, storage));
        if (fail) {
            b.add(TestStages.failing());
        }
        return b.build();
    }

    @Test
    void theGuestsImagesAndItsEmptiedDirectoryAreRemoved() throws Exception {
        Path d = Files.createDirectories(dir("r1"));
        Files.writeString(d.resolve("swap.img"), "swap");
        Files.writeString(d.resolve("disk.img"), "disk");
        Files.writeString(tmp.resolve("store/domains/r1-2.img"), "looks related, is not r1's");
        StorageStageRig rig = new StorageStageRig();
        GuestStorage storage = GuestStorage.find("r1", Optional.empty(), new dev.jxen.config.StorageTarget.Dir(tmp.resolve("store")),
                List.of("swap", "disk"), List.of(), rig.runner);
        rig.run(pipeline("r1", storage, false));
        assertFalse(Files.exists(d));
        assertTrue(Files.exists(tmp.resolve("store/domains/r1-2.img")));
        assertEquals(List.of(), rig.lines());
        assertEquals(List.of("removed " + d.resolve("swap.img"), "removed " + d.resolve("disk.img"), "removed " + d), rig.infos());
    }

    @Test
    void aDirectoryHoldingOtherFilesIsKeptWithThemAndTheyAreNamed() throws Exception {
        Path d = Files.createDirectories(dir("r2"));
        Files.writeString(d.resolve("disk.img"), "disk");
        Files.writeString(d.resolve("notes.txt"), "the admin's");
        StorageStageRig rig = new StorageStageRig();
        GuestStorage storage = GuestStorage.find("r2", Optional.empty(), new dev.jxen.config.StorageTarget.Dir(tmp.resolve("store")),
                List.of("swap", "disk"), List.of(), rig.runner);
        rig.run(pipeline("r2", storage, false));
        assertFalse(Files.exists(d.resolve("disk.img")));
        assertEquals("the admin's", Files.readString(d.resolve("notes.txt")));
        assertEquals(List.of("left alone: " + d.resolve("notes.txt") + ": not one of r2's images"), rig.warnings());
    }

    @Test
    void volumesAreRemovedByTheirExactNamesAndWhatOnlyLooksRelatedIsLeftAlone() throws Exception {
        StorageStageRig rig = new StorageStageRig(c -> StorageStageRig.ok(c.argv().get(0).equals("lvs") ? "  r3-disk\n  r3-swap\n  r3-2-disk\n  other\n" : ""));
        GuestStorage lvm = GuestStorage.find("r3", Optional.empty(), new dev.jxen.config.StorageTarget.Lvm("vg0"),
                List.of("swap", "disk"), List.of(), rig.runner);
        GuestStorage storage = new GuestStorage(List.of(lvm.owned().get(0), lvm.owned().get(1), new GuestStorage.ZfsVolume("tank/r3-home")),
                lvm.leftAlone(), null);
        int before = rig.lines().size();
        rig.run(pipeline("r3", storage, false));
        assertEquals(List.of("lvremove --yes vg0/r3-disk", "lvremove --yes vg0/r3-swap", "zfs destroy tank/r3-home"),
                rig.lines().subList(before, rig.lines().size()));
        assertEquals(List.of("left alone: vg0/r3-2-disk: not one of r3's volumes (r3-swap, r3-disk)"), rig.warnings());
    }

    @Test
    void aRemovalThatFailsFailsTheStageAndNothingIsRolledBack() throws Exception {
        StorageStageRig rig = new StorageStageRig(c -> c.display().equals("lvremove --yes vg0/r4-disk")
                ? StorageStageRig.failed(5, "  Logical volume vg0/r4-disk in use.") : StorageStageRig.ok(""));
        GuestStorage storage = new GuestStorage(List.of(new GuestStorage.LogicalVolume("vg0", "r4-swap"), new GuestStorage.LogicalVolume("vg0", "r4-disk")),
                List.of(), null);
        StageFailedException e = assertThrows(StageFailedException.class, () -> rig.run(pipeline("r4", storage, false)));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
        assertEquals(List.of("lvremove --yes vg0/r4-swap", "lvremove --yes vg0/r4-disk"), rig.lines());
        assertEquals(List.of(), rig.registered());
    }

    @Test
    void aFailureAfterItDoesNotBringAnythingBack() throws Exception {
        Path d = Files.createDirectories(dir("r5"));
        Files.writeString(d.resolve("disk.img"), "disk");
        GuestStorage storage = new GuestStorage(List.of(new GuestStorage.ImageFile(d.resolve("disk.img"))), List.of(), d);
        StorageStageRig rig = new StorageStageRig();
        assertThrows(StageFailedException.class, () -> rig.run(pipeline("r5", storage, true)));
        assertFalse(Files.exists(d));
        assertEquals(List.of(), rig.lines());
    }
}
