package dev.jxen.install;

import dev.jxen.config.TestSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which creates may clone their root from a ready image, and how the plan says the clone is made. */
class RootCloneStageTest {
    @TempDir
    Path tmp;

    @Test
    void onlyImageFilesWithAnExt4RootAsTheOnlyFilesystemAreCloned() throws Exception {
        assertTrue(RootCloneStage.applies(TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen")));
        assertTrue(RootCloneStage.applies(TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "noswap")));
        // (with a dom0 kernel: this test's dom0 has no grub-xen-host, and pygrub cannot read xfs)
        Path kernel = Files.writeString(tmp.resolve("vmlinuz"), "");
        assertFalse(RootCloneStage.applies(TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "fs=xfs", "kernel=" + kernel)), "an xfs root");
        assertFalse(RootCloneStage.applies(TestSpecs.spec(tmp, "hostname=a", "lvm=vg0")), "logical volumes");
        assertFalse(RootCloneStage.applies(TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "partitions=sample-server")),
                "a layout with /var, /home and more: the base spans them");
        assertFalse(RootCloneStage.applies(TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "no-base-cache")), "no cache");
        assertFalse(RootCloneStage.applies(TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "dontformat")), "--dontformat");
        assertFalse(RootCloneStage.applies(TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "install=0")), "no base system");
    }

    @Test
    void thePlanSaysWhetherTheCloneIsAReflink() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        String how = RootCloneStage.howCloned(images, tmp.resolve("cache-not-yet-made"));
        String type = Files.getFileStore(tmp).type();
        if (type.equals("xfs") || type.equals("btrfs")) {
            assertEquals("a reflink clone (" + type + ")", how);
        } else {
            assertEquals("a sparse copy (" + type + " cannot share extents; XFS and btrfs can)", how);
        }
    }
}
