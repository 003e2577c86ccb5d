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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.jxen.storage.StorageStageRig.unchecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mkfs and mkswap commands, one per disk in disk order, through a recording runner: nothing is formatted here. */
class FilesystemStageTest {
    @TempDir
    Path tmp;

    private static String ext4(String label, String path, ImageSpec spec) {
        List<String> argv = new ArrayList<>(List.of("mkfs.ext4", "-F", "-q"));
        argv.addAll(Ext4Features.options(spec.install().dist())); // what this dom0's mke2fs needs for the guest's release
        argv.addAll(List.of("-L", label, path));
        return String.join(" ", argv);
    }

    /** storage (a stand-in giving {@code disks}) → [base image] → filesystems [→ a failure] */
    private static Pipeline pipeline(ImageSpec spec, GuestDisks disks, Optional<Optional<RootClone>> clone, boolean fail) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<GuestDisks> key = b.add(TestStages.giving("storage", disks));
        StageResult<Optional<RootClone>> from = clone.isPresent() ? b.add(TestStages.giving("base image", clone.get()))
                : StageResult.absent("base image");
        b.add(unchecked(new FilesystemStage(spec, key, from)));
        if (fail) {
            b.add(TestStages.failing());
        }
        return b.build();
    }

    @Test
    void everyPartitionGetsItsOwnFilesystemLabelledByItsNameInDiskOrder() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=f1", "dir=" + tmp.resolve("store"), "partitions=sample-server");
        GuestDisks disks = GuestDisks.layout(spec);
        String dir = tmp.resolve("store/domains/f1") + "/";
        StorageStageRig rig = new StorageStageRig();
        rig.run(pipeline(spec, disks, Optional.empty(), false));
        assertEquals(List.of(
                "mkswap -L swap " + dir + "swap.img",
                ext4("root", dir + "root.img", spec),
                ext4("var", dir + "var.img", spec),
                "mkfs.xfs -f -q -L home " + dir + "home.img"), rig.lines());
        assertEquals(List.of(), rig.registered(), "formatting makes nothing that a rollback removes");
    }

    @Test
    void aFullyAllocatedImageIsFormattedWithoutDiscardingSoItStaysAllocated() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=f3", "dir=" + tmp.resolve("store"), "image=full", "partitions=sample-server");
        StorageStageRig rig = new StorageStageRig();
        rig.run(pipeline(spec, GuestDisks.layout(spec), Optional.empty(), false));
        String dir = tmp.resolve("store/domains/f3") + "/";
        assertEquals("mkswap -L swap " + dir + "swap.img", rig.lines().get(0), "mkswap discards nothing");
        assertTrue(rig.lines().get(1).startsWith("mkfs.ext4 -F -q ") && rig.lines().get(1).endsWith(" -Enodiscard -L root " + dir + "root.img"),
                rig.lines().toString());
        assertEquals("mkfs.xfs -f -q -K -L home " + dir + "home.img", rig.lines().get(3));

        // the real mke2fs punches holes into the file it formats unless told not to
        Path img = tmp.resolve("full.img");
        Process fallocate = new ProcessBuilder("fallocate", "-l", "64M", img.toString()).inheritIO().start();
        assertEquals(0, fallocate.waitFor());
        GuestDisk disk = new GuestDisk(new PartitionSpec("disk", new Size(64L << 20), "ext4", "/", "defaults"), img.toString(), true, "xvda2");
        Process mkfs = new ProcessBuilder(FilesystemStage.mkfs(disk, "bookworm", true).argv()).redirectErrorStream(true).start();
        assertEquals(0, mkfs.waitFor(), new String(mkfs.getInputStream().readAllBytes()));
        long allocated = ((Number) Files.getAttribute(img, "unix:size")).longValue();
        Process du = new ProcessBuilder("du", "--block-size=1", img.toString()).start();
        long used = Long.parseLong(new String(du.getInputStream().readAllBytes()).split("\\s+")[0]);
        assertTrue(used >= allocated, "the image lost its allocation: " + used + " of " + allocated + " bytes");
    }

    @Test
    void theDisksComeFromTheStorageStageAndLongNamesAreCutToTwelveCharacters() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=f2", "lvm=vg0");
        // not the spec's layout: the stage formats what the storage stage made (a --force create's staged volumes)
        GuestDisks disks = new GuestDisks(List.of(
                new GuestDisk(new PartitionSpec("disk", new Size(1L << 30), "ext3", "/", "defaults"), "/dev/vg0/f2-disk+new", false, "xvda1"),
                new GuestDisk(new PartitionSpec("applicationdata", new Size(1L << 30), "btrfs", "/srv", "defaults"),
                        "/dev/vg0/f2-applicationdata+new", false, "xvda2")));
        StorageStageRig rig = new StorageStageRig();
        rig.run(pipeline(spec, disks, Optional.empty(), false));
        assertEquals(List.of(
                "mkfs.ext3 -F -q -L disk /dev/vg0/f2-disk+new",
                "mkfs.btrfs -f -q -L applicationd /dev/vg0/f2-applicationdata+new"), rig.lines());
    }

    @Test
    void aRootClonedFromTheCachedImageIsNotFormattedButTheOtherDisksAre() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=f3", "lvm=vg0", "swap=256M");
        GuestDisks disks = GuestDisks.layout(spec);
        RootClone clone = new RootClone(tmp.resolve("cache/0123456789abcdef0123.img"), "0123456789abcdef0123456789abcdef");

        StorageStageRig cloned = new StorageStageRig();
        cloned.run(pipeline(spec, disks, Optional.of(Optional.of(clone)), false));
        assertEquals(List.of("mkswap -L swap /dev/vg0/f3-swap"), cloned.lines());

        StorageStageRig notCloned = new StorageStageRig();
        notCloned.run(pipeline(spec, disks, Optional.of(Optional.empty()), false));
        assertEquals(List.of("mkswap -L swap /dev/vg0/f3-swap", ext4("disk", "/dev/vg0/f3-disk", spec)), notCloned.lines(),
                "no cached image this time: the root is formatted");
    }

    @Test
    void dontformatFormatsNothing() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=f4", "lvm=vg0", "dontformat");
        StorageStageRig rig = new StorageStageRig();
        rig.run(pipeline(spec, GuestDisks.layout(spec), Optional.empty(), false));
        assertEquals(List.of(), rig.lines());
        assertTrue(rig.infos().contains("--dontformat: not formatting"), rig.infos().toString());
    }

    @Test
    void aFailingMkfsFailsTheStageAndTheDisksAfterItAreNotFormatted() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=f5", "dir=" + tmp.resolve("store"), "partitions=sample-server");
        StorageStageRig rig = new StorageStageRig(c -> c.argv().get(0).equals("mkfs.ext4") && c.display().endsWith("root.img")
                ? StorageStageRig.failed(1, "mkfs.ext4: Device size reported to be zero.") : StorageStageRig.ok(""));
        StageFailedException e = assertThrows(StageFailedException.class,
                () -> rig.run(pipeline(spec, GuestDisks.layout(spec), Optional.empty(), false)));
        assertEquals("filesystems", e.stage());
        assertEquals(2, rig.lines().size(), rig.lines().toString());
        assertTrue(rig.lines().get(1).startsWith("mkfs.ext4 ") && rig.lines().get(1).endsWith("root.img"), rig.lines().toString());
    }

    @Test
    void aFailureAfterFormattingUndoesNothingOfItsOwn() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=f6", "lvm=vg0", "swap=256M");
        StorageStageRig rig = new StorageStageRig();
        assertThrows(StageFailedException.class, () -> rig.run(pipeline(spec, GuestDisks.layout(spec), Optional.empty(), true)));
        assertEquals(List.of("mkswap -L swap /dev/vg0/f6-swap", ext4("disk", "/dev/vg0/f6-disk", spec)), rig.lines(),
                "the volumes are the storage stage's to remove; formatting adds no command to the rollback");
    }
}
