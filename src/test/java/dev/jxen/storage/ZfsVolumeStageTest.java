package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.jxen.storage.StorageStageRig.unchecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exact zfs commands and their rollback, through a recording runner: this machine has no ZFS. */
class ZfsVolumeStageTest {
    @TempDir
    Path tmp;

    private static Pipeline pipeline(ImageSpec spec, StoragePaths.Name name, boolean fail, StageResult<GuestDisks>[] key) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        key[0] = b.add(unchecked(new ZfsVolumeStage(spec, name)));
        if (fail) {
            b.add(TestStages.failing());
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static StageResult<GuestDisks>[] key() {
        return new StageResult[1];
    }

    @Test
    void oneSparseVolumePerPartitionNamedHostDashPartition() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=z1", "zpool=tank", "size=2G", "swap=256M");
        StorageStageRig rig = new StorageStageRig();
        StageResult<GuestDisks>[] key = key();
        GuestDisks disks = rig.run(pipeline(spec, StoragePaths.Name.FINAL, false, key)).get(key[0]);
        assertEquals(List.of("zfs create -s -V 256M tank/z1-swap", "zfs create -s -V 2048M tank/z1-disk"), rig.lines());
        assertEquals(List.of("/dev/zvol/tank/z1-swap", "/dev/zvol/tank/z1-disk"), disks.disks().stream().map(GuestDisk::path).toList());
        assertEquals(List.of("xvda1", "xvda2"), disks.disks().stream().map(GuestDisk::xenDevice).toList());
        assertTrue(disks.disks().stream().noneMatch(GuestDisk::file));
        assertEquals(List.of("ROLLBACK: destroy ZFS volume tank/z1-swap", "ROLLBACK: destroy ZFS volume tank/z1-disk"), rig.registered());
    }

    @Test
    void fullVolumesReserveTheirSpaceAndAForceCreateUsesTheNewNames() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=z2", "zpool=tank/guests", "size=3G", "noswap", "image=full", "force");
        StorageStageRig rig = new StorageStageRig();
        StageResult<GuestDisks>[] key = key();
        GuestDisks disks = rig.run(pipeline(spec, StoragePaths.Name.NEW, false, key)).get(key[0]);
        assertEquals(List.of("zfs create -V 3072M tank/guests/z2-disk:new"), rig.lines());
        assertEquals(List.of("/dev/zvol/tank/guests/z2-disk:new"), disks.disks().stream().map(GuestDisk::path).toList());
    }

    @Test
    void aFailureAfterItDestroysEveryVolumeNewestFirst() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=z3", "zpool=tank", "size=2G", "swap=256M");
        StorageStageRig rig = new StorageStageRig();
        assertThrows(StageFailedException.class, () -> rig.run(pipeline(spec, StoragePaths.Name.FINAL, true, key())));
        assertEquals(List.of(
                "zfs create -s -V 256M tank/z3-swap",
                "zfs create -s -V 2048M tank/z3-disk",
                "zfs destroy tank/z3-disk",
                "zfs destroy tank/z3-swap"), rig.lines());
    }

    @Test
    void aCreateThatFailsDestroysOnlyTheVolumesMadeBeforeIt() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=z4", "zpool=tank", "size=2G", "swap=256M");
        StorageStageRig rig = new StorageStageRig(c -> c.display().equals("zfs create -s -V 2048M tank/z4-disk")
                ? StorageStageRig.failed(1, "cannot create 'tank/z4-disk': out of space") : StorageStageRig.ok(""));
        StageFailedException e = assertThrows(StageFailedException.class, () -> rig.run(pipeline(spec, StoragePaths.Name.FINAL, false, key())));
        assertTrue(e.getMessage().contains("out of space"), e.getMessage());
        assertEquals(List.of(
                "zfs create -s -V 256M tank/z4-swap",
                "zfs create -s -V 2048M tank/z4-disk",
                "zfs destroy tank/z4-swap"), rig.lines());
    }
}
