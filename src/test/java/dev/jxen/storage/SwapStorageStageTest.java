package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.TestStages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A --force create's swap of the old guest's storage for the new one: image directories renamed for
 * real in a temporary directory, lvrename and zfs rename recorded.
 */
class SwapStorageStageTest {
    @TempDir
    Path tmp;

    private Path domains() {
        return tmp.resolve("store/domains");
    }

    private static Pipeline pipeline(ImageSpec spec, boolean keep, boolean fail) {
        Pipeline.Builder b = Pipeline.builder(keep, null);
        b.add(new SwapStorageStage(spec));
        if (fail) {
            b.add(TestStages.failing());
        }
        return b.build();
    }

    private void guest(String dirName, String whose) throws Exception {
        Path d = Files.createDirectories(domains().resolve(dirName));
        Files.writeString(d.resolve("disk.img"), whose + " disk");
        Files.writeString(d.resolve("swap.img"), whose + " swap");
    }

    private String disk(String dirName) throws Exception {
        return Files.readString(domains().resolve(dirName).resolve("disk.img"));
    }

    @Test
    void theOldImagesGoAsideAndTheNewOnesIntoPlace() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=s1", "dir=" + tmp.resolve("store"), "force");
        guest("s1", "old");
        guest(".s1.jxen-new", "new");
        StorageStageRig rig = new StorageStageRig();
        rig.run(pipeline(spec, false, false));
        assertEquals("new disk", disk("s1"));
        assertEquals("old disk", disk(".s1.jxen-old"));
        assertFalse(Files.exists(domains().resolve(".s1.jxen-new")));
        assertEquals(List.of(), rig.lines());
        assertEquals(List.of(
                "ROLLBACK_ALWAYS: put the old guest's images back (" + domains().resolve(".s1.jxen-old") + " -> " + domains().resolve("s1") + ")",
                "ROLLBACK_ALWAYS: move the new images back to their staging directory (" + domains().resolve("s1") + " -> "
                        + domains().resolve(".s1.jxen-new") + ")"), rig.registered());
    }

    @Test
    void aFailureAfterItPutsTheOldGuestBackEvenWithKeep() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=s2", "dir=" + tmp.resolve("store"), "force");
        guest("s2", "old");
        guest(".s2.jxen-new", "new");
        StorageStageRig rig = new StorageStageRig();
        assertThrows(StageFailedException.class, () -> rig.run(pipeline(spec, true, true)));
        assertEquals("old disk", disk("s2"));
        assertEquals("old swap", Files.readString(domains().resolve("s2/swap.img")));
        assertEquals("new disk", disk(".s2.jxen-new"));
        assertFalse(Files.exists(domains().resolve(".s2.jxen-old")));
    }

    @Test
    void withoutOldImagesOnlyTheNewOnesMoveAndBackOnFailure() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=s3", "dir=" + tmp.resolve("store"), "force");
        guest(".s3.jxen-new", "new");
        StorageStageRig rig = new StorageStageRig();
        assertThrows(StageFailedException.class, () -> rig.run(pipeline(spec, false, true)));
        assertEquals(1, rig.registered().size(), rig.registered().toString());
        assertEquals("new disk", disk(".s3.jxen-new"));
        assertFalse(Files.exists(domains().resolve("s3")));
        assertFalse(Files.exists(domains().resolve(".s3.jxen-old")));
    }

    @Test
    void zfsVolumesWithoutAnOldOneAreRenamedIntoPlaceAndBackOnFailure() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=s4", "zpool=tank", "force");
        StorageStageRig rig = new StorageStageRig();
        assertThrows(StageFailedException.class, () -> rig.run(pipeline(spec, false, true)));
        assertEquals(List.of(
                "zfs rename tank/s4-swap:new tank/s4-swap",
                "zfs rename tank/s4-disk:new tank/s4-disk",
                "zfs rename tank/s4-disk tank/s4-disk:new",
                "zfs rename tank/s4-swap tank/s4-swap:new"), rig.lines());
    }

    /**
     * The old volumes must exist as /dev/VG/LV for the stage to move them aside: a volume group named
     * "shm" puts them in /dev/shm, where plain files stand for them.
     */
    @Test
    void logicalVolumesOfTheOldGuestGoAsideFirstAndAllComeBackNewestFirst() throws Exception {
        String host = "jxsw" + ThreadLocalRandom.current().nextInt(1_000_000, 10_000_000);
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=" + host, "lvm=shm", "force");
        List<Path> old = List.of(Path.of("/dev/shm", host + "-swap"), Path.of("/dev/shm", host + "-disk"));
        try {
            for (Path p : old) {
                Files.writeString(p, "");
            }
            StorageStageRig rig = new StorageStageRig();
            assertThrows(StageFailedException.class, () -> rig.run(pipeline(spec, false, true)));
            String h = host;
            assertEquals(List.of(
                    "lvrename shm " + h + "-swap " + h + "-swap+old",
                    "lvrename shm " + h + "-swap+new " + h + "-swap",
                    "lvrename shm " + h + "-disk " + h + "-disk+old",
                    "lvrename shm " + h + "-disk+new " + h + "-disk",
                    "lvrename shm " + h + "-disk " + h + "-disk+new",
                    "lvrename shm " + h + "-disk+old " + h + "-disk",
                    "lvrename shm " + h + "-swap " + h + "-swap+new",
                    "lvrename shm " + h + "-swap+old " + h + "-swap"), rig.lines());
            assertTrue(rig.registered().stream().allMatch(s -> s.startsWith("ROLLBACK_ALWAYS: ")), rig.registered().toString());
        } finally {
            for (Path p : old) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aRenameThatFailsGivesBackWhatWasRenamedBeforeIt() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=s5", "lvm=vg0", "force");
        StorageStageRig rig = new StorageStageRig(c -> c.display().equals("lvrename vg0 s5-disk+new s5-disk")
                ? StorageStageRig.failed(5, "  Logical Volume \"s5-disk\" already exists in volume group \"vg0\"") : StorageStageRig.ok(""));
        StageFailedException e = assertThrows(StageFailedException.class, () -> rig.run(pipeline(spec, false, false)));
        assertEquals("swap storage", e.stage());
        assertEquals(List.of(
                "lvrename vg0 s5-swap+new s5-swap",
                "lvrename vg0 s5-disk+new s5-disk",
                "lvrename vg0 s5-swap s5-swap+new"), rig.lines());
    }

    @Test
    void existingDevicesAreNotRenamed() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=s6", "image-dev=/dev/zero", "swap-dev=/dev/null", "force");
        StorageStageRig rig = new StorageStageRig();
        rig.run(pipeline(spec, false, false));
        assertEquals(List.of(), rig.lines());
    }
}
