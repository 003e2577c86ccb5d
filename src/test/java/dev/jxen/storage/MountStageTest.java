package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.PartitionSpec;
import dev.jxen.config.Size;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mount commands, their order and options, and the undo entries, through a recording runner:
 * nothing is mounted here, so the mount points are plain directories under a temporary work directory.
 */
class MountStageTest {
    @TempDir
    Path tmp;

    private static GuestDisk disk(String name, String type, String mountpoint, String path, boolean file, String xen) {
        return new GuestDisk(new PartitionSpec(name, new Size(1L << 30), type, mountpoint, "defaults"), path, file, xen);
    }

    private Path work() {
        return tmp.resolve("work");
    }

    private static List<String> entries(Path work) throws Exception {
        try (Stream<Path> s = Files.list(work)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void theRootIsMountedFirstThenEachDiskBeforeTheOnesInsideItAndSwapNever() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=m1", "dir=" + tmp.resolve("store"));
        String d = tmp.resolve("store/domains/m1") + "/";
        // listed out of mount order: a disk inside another comes after it, whatever its place in the list
        GuestDisks disks = new GuestDisks(List.of(
                disk("swap", "swap", null, d + "swap.img", true, "xvda1"),
                disk("log", "ext4", "/var/log", d + "log.img", true, "xvda2"),
                disk("home", "xfs", "/home", d + "home.img", true, "xvda3"),
                disk("root", "ext4", "/", d + "root.img", true, "xvda4"),
                disk("var", "ext4", "/var", d + "var.img", true, "xvda5")));
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<GuestDisks> key = b.add(TestStages.giving("storage", disks));
        StageResult<MountedRoot> mounted = b.add(MountStage.forNewGuest(spec, key, work()));
        AtomicReference<List<String>> stackThen = new AtomicReference<>();
        StorageStageRig rig = new StorageStageRig();
        b.add(StorageStageRig.probe(ctx -> stackThen.set(rig.current())));
        MountedRoot root = rig.run(b.build()).get(mounted);

        Path r = root.root();
        assertEquals(work().toRealPath(), r.getParent());
        assertTrue(r.getFileName().toString().startsWith("m1."), r.toString());
        assertEquals(List.of(
                "mount --no-canonicalize -o loop " + d + "root.img " + r,
                "mount --no-canonicalize -o loop " + d + "home.img " + r.resolve("home"),
                "mount --no-canonicalize -o loop " + d + "var.img " + r.resolve("var"),
                "mount --no-canonicalize -o loop " + d + "log.img " + r.resolve("var/log")), rig.lines());
        assertEquals(List.of("unmount " + r.resolve("var/log"), "unmount " + r.resolve("var"), "unmount " + r.resolve("home"), "unmount " + r),
                root.unmounts().stream().map(e -> e.description()).toList(), "the unmount stage's entries, innermost first");
        assertEquals(List.of("CLEANUP: remove " + r, "CLEANUP: unmount " + r, "CLEANUP: unmount " + r.resolve("home"),
                "CLEANUP: unmount " + r.resolve("var"), "CLEANUP: unmount " + r.resolve("var/log")), stackThen.get(),
                "each mount is undone whatever happens, and the mount point is removed after them");
    }

    @Test
    void anExistingGuestsDisksAreMountedNodevAndNosuid() throws Exception {
        GuestDisks disks = new GuestDisks(List.of(
                disk("disk", "ext4", "/", "/dev/vg0/u1-disk", false, "xvda2"),
                disk("srv", "ext4", "/srv", tmp.resolve("srv.img").toString(), true, "xvda3")));
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<GuestDisks> key = b.add(TestStages.giving("read guest", disks));
        StageResult<MountedRoot> mounted = b.add(MountStage.forExistingGuest("u1", key, work()));
        StorageStageRig rig = new StorageStageRig();
        Path r = rig.run(b.build()).get(mounted).root();
        assertEquals(List.of(
                "mount --no-canonicalize -o nodev,nosuid /dev/vg0/u1-disk " + r,
                "mount --no-canonicalize -o loop,nodev,nosuid " + tmp.resolve("srv.img") + " " + r.resolve("srv")), rig.lines());
    }

    @Test
    void aNewGuestsVolumesAreMountedWithoutOptions() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=m2", "lvm=vg0");
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<GuestDisks> key = b.add(TestStages.giving("storage", GuestDisks.layout(spec)));
        StageResult<MountedRoot> mounted = b.add(MountStage.forNewGuest(spec, key, work()));
        StorageStageRig rig = new StorageStageRig();
        Path r = rig.run(b.build()).get(mounted).root();
        assertEquals(List.of("mount --no-canonicalize /dev/vg0/m2-disk " + r), rig.lines());
    }

    @Test
    void aFailureAfterMountingRemovesTheMountPoint() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=m3", "dir=" + tmp.resolve("store"));
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<GuestDisks> key = b.add(TestStages.giving("storage", GuestDisks.layout(spec)));
        b.add(MountStage.forNewGuest(spec, key, work()));
        b.add(TestStages.failing());
        StorageStageRig rig = new StorageStageRig();
        assertThrows(StageFailedException.class, () -> rig.run(b.build()));
        assertEquals(1, rig.lines().size(), rig.lines().toString());
        assertEquals(2, rig.registered().size(), rig.registered().toString());
        assertTrue(rig.registered().get(0).startsWith("CLEANUP: remove " + work().toRealPath().resolve("m3.")), rig.registered().toString());
        assertEquals(List.of(), entries(work()), "the mount point is gone");
        assertEquals(List.of(), rig.current(), "nothing is left to undo");
    }

    @Test
    void aMountThatFailsLeavesOnlyTheEarlierMountsToUndo() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=m4", "dir=" + tmp.resolve("store"), "partitions=sample-server");
        StorageStageRig rig = new StorageStageRig(c -> c.display().contains("home.img")
                ? StorageStageRig.failed(32, "mount: /home: wrong fs type, bad option, bad superblock") : StorageStageRig.ok(""));
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<GuestDisks> key = b.add(TestStages.giving("storage", GuestDisks.layout(spec)));
        b.add(MountStage.forNewGuest(spec, key, work()));
        StageFailedException e = assertThrows(StageFailedException.class, () -> rig.run(b.build()));
        assertEquals("mount", e.stage());
        List<String> registered = rig.registered();
        assertEquals(3, registered.size(), registered.toString()); // the mount point, the root, /var (sample-server: var before home)
        assertTrue(registered.get(1).startsWith("CLEANUP: unmount ") && registered.get(2).endsWith("/var"), registered.toString());
        assertFalse(registered.stream().anyMatch(s -> s.endsWith("/home")), "a mount that failed is not undone");
        assertEquals(List.of(), rig.current());
    }
}
