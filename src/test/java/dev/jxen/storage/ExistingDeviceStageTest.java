package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.HostStateException;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.jxen.storage.StorageStageRig.unchecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Existing devices (/dev/zero and /dev/null stand for the user's): wipefs is recorded with the
 * signatures it would report, so nothing is probed, and nothing is made or removed.
 */
class ExistingDeviceStageTest {
    private static final String PROBE = "wipefs --no-act --noheadings --output TYPE,OFFSET ";

    @TempDir
    Path tmp;

    private static GuestDisks run(ImageSpec spec, boolean fail, StorageStageRig rig) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<GuestDisks> key = b.add(unchecked(new ExistingDeviceStage(spec)));
        AtomicReference<GuestDisks> out = new AtomicReference<>();
        b.add(StorageStageRig.probe(ctx -> out.set(ctx.get(key))));
        if (fail) {
            b.add(TestStages.failing());
        }
        rig.run(b.build());
        return out.get();
    }

    @Test
    void blankDevicesAreUsedAsTheyAreSwapFirst() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=e1", "image-dev=/dev/zero", "swap-dev=/dev/null");
        StorageStageRig rig = new StorageStageRig();
        GuestDisks disks = run(spec, false, rig);
        assertEquals(List.of(PROBE + "/dev/null", PROBE + "/dev/zero"), rig.lines());
        assertEquals(List.of("/dev/null", "/dev/zero"), disks.disks().stream().map(GuestDisk::path).toList());
        assertEquals(List.of("xvda1", "xvda2"), disks.disks().stream().map(GuestDisk::xenDevice).toList());
        assertEquals(List.of("swap", "/"), disks.disks().stream().map(d -> d.partition().isSwap() ? "swap" : d.partition().mountpoint()).toList());
        assertTrue(disks.disks().stream().noneMatch(GuestDisk::file));
        assertEquals(List.of(), rig.registered(), "nothing is created, so nothing is removed");
    }

    @Test
    void aDeviceHoldingASignatureIsRefusedWithoutForceNamingWhatWasFound() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=e2", "image-dev=/dev/zero", "noswap");
        StorageStageRig rig = new StorageStageRig(c -> StorageStageRig.ok("ext4   0x438\ndos    0x1fe\n"));
        HostStateException e = assertThrows(HostStateException.class, () -> run(spec, false, rig));
        assertEquals("/dev/zero holds ext4 at 0x438, dos at 0x1fe; formatting would destroy it", e.getMessage());
        assertTrue(e.hint().contains("--force") && e.hint().contains("--dontformat"), e.hint());
    }

    @Test
    void withForceItIsFormattedWithAWarning() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=e3", "image-dev=/dev/zero", "swap-dev=/dev/null", "force");
        StorageStageRig rig = new StorageStageRig(c -> StorageStageRig.ok(c.display().endsWith("/dev/zero") ? "xfs 0x0\n" : ""));
        GuestDisks disks = run(spec, false, rig);
        assertEquals(GuestDisks.layout(spec), disks);
        assertEquals(List.of("--force: formatting although /dev/zero holds xfs at 0x0"), rig.warnings());
    }

    @Test
    void aDeviceThatCannotBeProbedIsRefused() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=e4", "image-dev=/dev/zero", "noswap", "force");
        StorageStageRig rig = new StorageStageRig(c -> StorageStageRig.failed(1, "wipefs: error: /dev/zero: probing initialization failed"));
        HostStateException e = assertThrows(HostStateException.class, () -> run(spec, false, rig));
        assertEquals("cannot tell whether /dev/zero holds data: wipefs exited with status 1 (wipefs: error: /dev/zero: probing initialization failed)",
                e.getMessage(), "even with --force: an unknown device is not formatted");
    }

    @Test
    void withDontformatNothingIsProbed() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=e5", "image-dev=/dev/zero", "swap-dev=/dev/null", "dontformat");
        StorageStageRig rig = new StorageStageRig(c -> StorageStageRig.ok("ext4 0x438\n"));
        GuestDisks disks = run(spec, false, rig);
        assertEquals(List.of(), rig.lines());
        assertEquals(GuestDisks.layout(spec), disks);
    }

    @Test
    void aFailureAfterItTouchesNoDevice() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=e6", "image-dev=/dev/zero", "swap-dev=/dev/null");
        StorageStageRig rig = new StorageStageRig();
        assertThrows(StageFailedException.class, () -> run(spec, true, rig));
        assertEquals(List.of(PROBE + "/dev/null", PROBE + "/dev/zero"), rig.lines(), "the rollback runs nothing on the user's devices");
    }

    @Test
    void imageDevWithoutSwapDevMakesAGuestWithoutSwap() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=e7", "image-dev=/dev/zero");
        StorageStageRig rig = new StorageStageRig();
        GuestDisks disks = run(spec, false, rig);
        assertEquals(List.of("/dev/zero"), disks.disks().stream().map(d -> d.path()).toList(), disks.toString());
        assertTrue(disks.disks().stream().noneMatch(d -> d.partition().isSwap()), disks.toString());
    }
}
