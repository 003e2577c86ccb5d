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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Image files made for real in a temporary directory (sparse ones with their full length); fallocate,
 * cp, resize2fs and tune2fs are recorded, not run.
 */
class ImageFileStageTest {
    private static final long SWAP = 32L << 20;
    private static final long DISK = 64L << 20;

    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    private ImageSpec spec(String host, String... more) throws Exception {
        List<String> s = new java.util.ArrayList<>(List.of("hostname=" + host, "dir=" + store(), "size=64M", "swap=32M"));
        s.addAll(List.of(more));
        return TestSpecs.spec(tmp, s.toArray(new String[0]));
    }

    private record Ran(StorageStageRig rig, GuestDisks disks) {
    }

    private static Ran run(ImageSpec spec, StoragePaths.Name name, Optional<RootClone> clone, boolean fail, StorageStageRig rig) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<Optional<RootClone>> from = clone.isPresent() ? b.add(TestStages.giving("base image", clone)) : StageResult.absent("base image");
        StageResult<GuestDisks> disks = b.add(new ImageFileStage(spec, name, from));
        if (fail) {
            b.add(TestStages.failing());
        }
        return new Ran(rig, rig.run(b.build()).get(disks));
    }

    @Test
    void sparseImagesOfTheirFullSizeOnePerPartitionUnderTheGuestsDirectory() throws Exception {
        ImageSpec spec = spec("i1");
        Ran ran = run(spec, StoragePaths.Name.FINAL, Optional.empty(), false, new StorageStageRig());
        Path dir = store().resolve("domains/i1");
        assertEquals(GuestDisks.layout(spec), ran.disks());
        assertEquals(List.of(dir.resolve("swap.img").toString(), dir.resolve("disk.img").toString()),
                ran.disks().disks().stream().map(GuestDisk::path).toList());
        assertEquals(SWAP, Files.size(dir.resolve("swap.img")));
        assertEquals(DISK, Files.size(dir.resolve("disk.img")));
        assertEquals(List.of(), ran.rig().lines(), "a sparse image needs no command");
        assertEquals(List.of("ROLLBACK: remove " + store() + " if empty", "ROLLBACK: remove " + dir.resolve("swap.img"),
                "ROLLBACK: remove " + dir.resolve("disk.img")), ran.rig().registered());
    }

    @Test
    void fullImagesAreAllocatedWhole() throws Exception {
        ImageSpec spec = spec("i2", "image=full");
        Ran ran = run(spec, StoragePaths.Name.FINAL, Optional.empty(), false, new StorageStageRig());
        Path dir = store().resolve("domains/i2");
        assertEquals(List.of("fallocate -l " + SWAP + " " + dir.resolve("swap.img"), "fallocate -l " + DISK + " " + dir.resolve("disk.img")),
                ran.rig().lines());
        assertTrue(Files.isRegularFile(dir.resolve("disk.img")));
    }

    @Test
    void aFailureAfterItRemovesTheImagesAndTheDirectoriesItMadeButNotTheStore() throws Exception {
        Files.createDirectories(store());
        Files.writeString(store().resolve("keep.txt"), "not jxen's");
        ImageSpec spec = spec("i3");
        StorageStageRig rig = new StorageStageRig();
        assertThrows(StageFailedException.class, () -> run(spec, StoragePaths.Name.FINAL, Optional.empty(), true, rig));
        assertFalse(Files.exists(store().resolve("domains")), "domains/i3 and domains/ were made by the stage");
        assertEquals("not jxen's", Files.readString(store().resolve("keep.txt")));
        assertEquals(List.of(), rig.current());
    }

    @Test
    void aFailureAfterItRemovesAStoreDirectoryItMade() throws Exception {
        ImageSpec spec = spec("i4");
        StorageStageRig rig = new StorageStageRig();
        assertThrows(StageFailedException.class, () -> run(spec, StoragePaths.Name.FINAL, Optional.empty(), true, rig));
        assertFalse(Files.exists(store()));
        assertTrue(Files.isDirectory(tmp), "nothing above what it made");
    }

    @Test
    void aForceCreateMakesTheNewImagesBesideTheOldGuestAndARollbackLeavesTheOldGuestAlone() throws Exception {
        ImageSpec spec = spec("i5", "force");
        Path live = store().resolve("domains/i5");
        Files.createDirectories(live);
        Files.writeString(live.resolve("disk.img"), "the live guest's disk");

        Ran ran = run(spec, StoragePaths.Name.NEW, Optional.empty(), false, new StorageStageRig());
        Path staged = store().resolve("domains/.i5.jxen-new");
        assertEquals(List.of(staged.resolve("swap.img").toString(), staged.resolve("disk.img").toString()),
                ran.disks().disks().stream().map(GuestDisk::path).toList());
        assertEquals(DISK, Files.size(staged.resolve("disk.img")));
        assertEquals("the live guest's disk", Files.readString(live.resolve("disk.img")));
        assertEquals(List.of("ROLLBACK: remove " + staged + " if empty", "ROLLBACK: remove " + staged.resolve("swap.img"),
                "ROLLBACK: remove " + staged.resolve("disk.img")), ran.rig().registered());

        // the same again, failing after: the staging directory goes, the live guest stays
        deleteTree(staged);
        StorageStageRig rig = new StorageStageRig();
        assertThrows(StageFailedException.class, () -> run(spec, StoragePaths.Name.NEW, Optional.empty(), true, rig));
        assertFalse(Files.exists(staged));
        assertEquals("the live guest's disk", Files.readString(live.resolve("disk.img")));
        assertEquals(List.of("disk.img"), List.of(live.toFile().list()));
    }

    @Test
    void anImageThatExistsIsRefusedBeforeAnythingIsMade() throws Exception {
        ImageSpec spec = spec("i6");
        Path dir = store().resolve("domains/i6");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("disk.img"), "someone's disk");
        StorageStageRig rig = new StorageStageRig();
        HostStateException e = assertThrows(HostStateException.class, () -> run(spec, StoragePaths.Name.FINAL, Optional.empty(), false, rig));
        assertTrue(e.getMessage().contains("the image " + dir.resolve("disk.img") + " already exists"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("swap.img")));
        assertEquals("someone's disk", Files.readString(dir.resolve("disk.img")));
    }

    @Test
    void aRootClonedFromTheCachedImageIsASparseCopyGrownAndRelabelledWhenReflinksFail() throws Exception {
        ImageSpec spec = spec("i7");
        Path cached = Files.createDirectories(tmp.resolve("cache")).resolve("0123456789abcdef0123.img");
        Files.writeString(cached, "a ready ext4 image");
        RootClone from = new RootClone(cached, "0123456789abcdef0123456789abcdef");
        StorageStageRig rig = new StorageStageRig(c -> c.argv().contains("--reflink=always")
                ? StorageStageRig.failed(1, "cp: failed to clone: Operation not supported") : StorageStageRig.ok(""));
        Ran ran = run(spec, StoragePaths.Name.FINAL, Optional.of(from), false, rig);
        Path disk = store().resolve("domains/i7/disk.img");
        assertEquals(List.of(
                "cp --reflink=always " + cached + " " + disk,
                "cp --reflink=never --sparse=always " + cached + " " + disk,
                "resize2fs -f " + disk,
                "tune2fs -U random -L disk " + disk), rig.lines(), "swap is made as usual, the root copied");
        assertEquals(DISK, Files.size(disk), "grown to the root's size before resize2fs");
        assertEquals(SWAP, Files.size(store().resolve("domains/i7/swap.img")));
        assertTrue(rig.infos().stream().anyMatch(l -> l.contains("as a sparse copy of the cached base image 0123456789ab")), rig.infos().toString());
        assertEquals(GuestDisks.layout(spec), ran.disks());
    }

    @Test
    void aCloneThatFailsLeavesNoImageBehind() throws Exception {
        ImageSpec spec = spec("i8");
        RootClone from = new RootClone(tmp.resolve("cache/gone.img"), "0123456789abcdef0123456789abcdef");
        StorageStageRig rig = new StorageStageRig(c -> c.argv().get(0).equals("cp")
                ? StorageStageRig.failed(1, "cp: cannot stat: No such file or directory") : StorageStageRig.ok(""));
        assertThrows(StageFailedException.class, () -> run(spec, StoragePaths.Name.FINAL, Optional.of(from), false, rig));
        assertFalse(Files.exists(store()), "the swap image, the half-made root image and the directories are gone");
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
