package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.pipeline.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end of a --force create: the old guest's storage, under the names the swap gave it, and its old
 * .cfg are removed; image files for real in a temporary directory, volumes through recorded commands.
 */
class DiscardOldGuestStageTest {
    @TempDir
    Path tmp;

    private Path domains() {
        return tmp.resolve("store/domains");
    }

    private Path images(String dirName, String whose, String... names) throws Exception {
        Path d = Files.createDirectories(domains().resolve(dirName));
        for (String n : names) {
            Files.writeString(d.resolve(n), whose + " " + n);
        }
        return d;
    }

    private Path oldCfg(String host) throws Exception {
        Path cfg = Files.createDirectories(tmp.resolve("xen")).resolve(host + ".cfg.old");
        Files.writeString(cfg, "name = '" + host + "'\n");
        return cfg;
    }

    /** discard old guest → a stage after it, which sees the run go on */
    private static boolean run(Pipeline.Builder b, ImageSpec spec, GuestStorage old, Path oldCfg, StorageStageRig rig) {
        b.add(new DiscardOldGuestStage(spec, old, oldCfg));
        AtomicBoolean after = new AtomicBoolean();
        b.add(StorageStageRig.probe(ctx -> after.set(true)));
        rig.run(b.build());
        return after.get();
    }

    @Test
    void theOldImagesAsideTheirDirectoryAndTheOldCfgAreRemovedAndTheNewGuestIsNotTouched() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=d1", "dir=" + tmp.resolve("store"), "force");
        Path live = domains().resolve("d1");
        // what the old guest owned, found before the swap: under the final names
        GuestStorage old = new GuestStorage(List.of(new GuestStorage.ImageFile(live.resolve("swap.img")), new GuestStorage.ImageFile(live.resolve("disk.img"))),
                List.of(), live);
        // after the swap: the new guest in place, the old one aside
        images("d1", "new", "swap.img", "disk.img");
        Path aside = images(".d1.jxen-old", "old", "swap.img", "disk.img");
        Path cfg = oldCfg("d1");
        StorageStageRig rig = new StorageStageRig();
        assertTrue(run(Pipeline.builder(false, null), spec, old, cfg, rig));
        assertFalse(Files.exists(aside));
        assertFalse(Files.exists(cfg));
        assertEquals("new disk.img", Files.readString(live.resolve("disk.img")));
        assertEquals("new swap.img", Files.readString(live.resolve("swap.img")));
        assertEquals(List.of("removed the old guest's " + aside.resolve("swap.img"), "removed the old guest's " + aside.resolve("disk.img")), rig.infos());
        assertEquals(List.of(), rig.lines());
        assertEquals(List.of(), rig.warnings());
    }

    @Test
    void filesThatWereNotTheOldGuestsImagesKeepTheDirectoryAndAreNamed() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=d2", "dir=" + tmp.resolve("store"), "force");
        Path live = domains().resolve("d2");
        GuestStorage old = new GuestStorage(List.of(new GuestStorage.ImageFile(live.resolve("disk.img"))),
                List.of(live.resolve("notes.txt") + ": not one of d2's images"), live);
        images("d2", "new", "disk.img");
        Path aside = images(".d2.jxen-old", "old", "disk.img", "notes.txt");
        StorageStageRig rig = new StorageStageRig();
        assertTrue(run(Pipeline.builder(false, null), spec, old, null, rig));
        assertEquals(List.of("notes.txt"), List.of(aside.toFile().list()));
        assertEquals(List.of("kept " + aside + ": it holds files that were not the old guest's images: [" + aside.resolve("notes.txt") + "]",
                "left alone: " + live.resolve("notes.txt") + ": not one of d2's images"), rig.warnings());
    }

    @Test
    void oldLogicalVolumesAreRemovedUnderTheirOldNamesWhenTheNewGuestTookTheirNames() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=d3", "lvm=vg0", "force");
        GuestStorage old = new GuestStorage(List.of(
                new GuestStorage.LogicalVolume("vg0", "d3-swap"),
                new GuestStorage.LogicalVolume("vg0", "d3-disk"),
                new GuestStorage.LogicalVolume("vg0", "d3-home"),  // not in the new layout: never renamed
                new GuestStorage.LogicalVolume("vg1", "d3-disk")), // another group: never renamed
                List.of(), null);
        StorageStageRig rig = new StorageStageRig();
        assertTrue(run(Pipeline.builder(false, null), spec, old, null, rig));
        assertEquals(List.of("lvremove --yes vg0/d3-swap+old", "lvremove --yes vg0/d3-disk+old", "lvremove --yes vg0/d3-home",
                "lvremove --yes vg1/d3-disk"), rig.lines());
        assertEquals(List.of(), rig.registered(), "nothing of this is undone");
    }

    /**
     * --force over a guest on existing devices: the new guest is made on them in place, so the old
     * guest's entry for the same device (by its name, or by another path to the same node) is kept,
     * while a volume only the old guest used is removed. The "devices" are files of this test's under
     * /dev/shm (a device path must be under /dev), so that a broken guard removes nothing real.
     */
    @Test
    void theDevicesANewGuestIsMadeOnInPlaceAreKept() throws Exception {
        String tag = "jxen-test-" + System.nanoTime();
        Path disk = Files.writeString(Path.of("/dev/shm", tag + "-disk"), "the new guest's root");
        Path swap = Files.writeString(Path.of("/dev/shm", tag + "-swap"), "the new guest's swap");
        Path alias = Files.createSymbolicLink(Path.of("/dev/shm", tag + "-alias"), swap);
        try {
            ImageSpec spec = TestSpecs.spec(tmp, "hostname=d6", "image-dev=" + disk, "swap-dev=" + swap, "force");
            GuestStorage old = new GuestStorage(List.of(new GuestStorage.ImageFile(disk), new GuestStorage.ImageFile(alias),
                    new GuestStorage.LogicalVolume("vg0", "d6-home")), List.of(), null);
            StorageStageRig rig = new StorageStageRig();
            assertTrue(run(Pipeline.builder(false, null), spec, old, null, rig));
            assertEquals(List.of("lvremove --yes vg0/d6-home"), rig.lines(), "only the volume the new guest does not use");
            assertTrue(Files.exists(disk) && Files.exists(swap) && Files.isSymbolicLink(alias), "the new guest's devices are kept");
            String plan = new DiscardOldGuestStage(spec, old, null).plan(null).toString();
            assertTrue(plan.contains("kept: " + disk + ", which the new guest is made on") && plan.contains("kept: " + alias), plan);
        } finally {
            Files.deleteIfExists(alias);
            Files.deleteIfExists(swap);
            Files.deleteIfExists(disk);
        }
    }

    @Test
    void oldZfsVolumesAreDestroyedUnderTheirOldNames() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=d4", "zpool=tank", "noswap", "force");
        GuestStorage old = new GuestStorage(List.of(new GuestStorage.ZfsVolume("tank/d4-disk"), new GuestStorage.ZfsVolume("tank/d4-swap"),
                new GuestStorage.ZfsVolume("other/d4-disk")), List.of(), null);
        StorageStageRig rig = new StorageStageRig();
        assertTrue(run(Pipeline.builder(false, null), spec, old, null, rig));
        assertEquals(List.of("zfs destroy tank/d4-disk:old", "zfs destroy tank/d4-swap", "zfs destroy other/d4-disk"), rig.lines());
    }

    @Test
    void aRemovalThatFailsIsNamedForRemovalByHandAndTheCreateGoesOn() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=d5", "lvm=vg0", "force");
        GuestStorage old = new GuestStorage(List.of(new GuestStorage.LogicalVolume("vg0", "d5-swap"), new GuestStorage.LogicalVolume("vg0", "d5-disk")),
                List.of("/dev/sdz: a device jxen does not make"), null);
        Path cfg = oldCfg("d5");
        StorageStageRig rig = new StorageStageRig(c -> c.display().contains("d5-swap")
                ? StorageStageRig.failed(5, "  Logical volume vg0/d5-swap+old contains a filesystem in use.") : StorageStageRig.ok(""));
        assertTrue(run(Pipeline.builder(false, null), spec, old, cfg, rig), "the new guest is complete: the run goes on");
        assertEquals(List.of("lvremove --yes vg0/d5-swap+old", "lvremove --yes vg0/d5-disk+old"), rig.lines());
        assertFalse(Files.exists(cfg));
        assertEquals(List.of("left alone: /dev/sdz: a device jxen does not make",
                "the new guest is in place, but these parts of the old one could not be removed; remove them by hand: "
                        + "vg0/d5-swap+old (lvremove --yes vg0/d5-swap+old exited with status 5)"), rig.warnings());
    }

    @Test
    void anImageThatCannotBeRemovedIsNamedForRemovalByHandAndTheCreateGoesOn() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=d6", "dir=" + tmp.resolve("store"), "force");
        Path live = domains().resolve("d6");
        GuestStorage old = new GuestStorage(List.of(new GuestStorage.ImageFile(live.resolve("swap.img")), new GuestStorage.ImageFile(live.resolve("disk.img"))),
                List.of(), live);
        images("d6", "old", "swap.img");
        // an image the removal fails on (as on EPERM, EROFS or EIO): here, a directory that is not empty
        Files.writeString(Files.createDirectories(live.resolve("disk.img")).resolve("x"), "");
        images(".d6.jxen-new", "new", "swap.img", "disk.img");
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new SwapStorageStage(spec));
        StorageStageRig rig = new StorageStageRig();
        assertTrue(run(b, spec, old, null, rig), "the new guest is complete: the run goes on");
        assertEquals("new disk.img", Files.readString(live.resolve("disk.img")));
        assertTrue(rig.warnings().stream().anyMatch(w -> w.contains(domains().resolve(".d6.jxen-old/disk.img").toString())), rig.warnings().toString());
    }
}
