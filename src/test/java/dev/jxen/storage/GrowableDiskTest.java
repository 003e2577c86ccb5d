package dev.jxen.storage;

import dev.jxen.config.PartitionSpec;
import dev.jxen.config.Size;
import dev.jxen.config.StorageTarget;
import dev.jxen.error.HostStateException;
import dev.jxen.error.InvalidInputException;
import dev.jxen.system.CommandResult;
import dev.jxen.system.RecordingCommandRunner;
import dev.jxen.xen.DomUConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which disk a resize grows (how a filesystem's size is read: FilesystemSizeTest; when a grown disk is put back: ShrinkDiskTest). */
class GrowableDiskTest {
    @TempDir
    Path tmp;
    RecordingCommandRunner runner = new RecordingCommandRunner(c -> new CommandResult(0, "  " + last(c.argv()) + "\n", List.of()));

    private static String last(List<String> argv) {
        String l = argv.get(argv.size() - 1);
        return l.substring(l.indexOf('/') + 1);
    }

    private static final List<PartitionSpec> LAYOUT = List.of(new PartitionSpec("root", Size.parse("2G", false), "ext4", "/", "defaults"),
            new PartitionSpec("swap", Size.parse("128M", false), "swap", null, "defaults"),
            new PartitionSpec("home", Size.parse("1G", false), "xfs", "/home", "defaults"));

    private DomUConfigFile cfg(String text) throws Exception {
        return DomUConfigFile.read(Files.writeString(tmp.resolve("web.cfg"), text));
    }

    private GuestStorage storage(DomUConfigFile cfg, List<DomUConfigFile> others) throws Exception {
        return GuestStorage.find("web", Optional.of(cfg), null, List.of("root", "swap", "home"), others, runner);
    }

    @Test
    void theRootIsTheDiskRootNamesElseTheFirst() throws Exception {
        DomUConfigFile c = cfg("root = '/dev/xvda3 ro'\ndisk = [ 'phy:/dev/vg0/web-swap,xvda1,w', 'phy:/dev/vg0/web-root,xvda3,w' ]\n");
        GrowableDisk d = GrowableDisk.find("web", Optional.of(c), null, "/", List.of(), storage(c, List.of()));
        assertEquals("/dev/vg0/web-root (xvda3, mounted at /)", d.describe());
        DomUConfigFile first = cfg("disk = [ 'format=raw, vdev=xvda2, access=rw, target=/dev/vg0/web-disk', 'format=raw, vdev=xvda1, access=rw, "
                + "target=/dev/vg0/web-swap' ]\n");
        GrowableDisk f = GrowableDisk.find("web", Optional.of(first), null, "/", List.of(), storage(first, List.of()));
        assertEquals("/dev/vg0/web-disk (xvda2, mounted at /)", f.describe());
        assertTrue(f.chosenBecause().startsWith("the first disk of "), f.chosenBecause());
    }

    @Test
    void anotherMountpointIsFoundByItsPartitionsNameInTheLayout() throws Exception {
        DomUConfigFile c = cfg("disk = [ 'format=raw, vdev=xvda2, access=rw, target=/dev/vg0/web-root', 'format=raw, vdev=xvda3, access=rw, "
                + "target=/dev/vg0/web-home', 'format=raw, vdev=xvda1, access=rw, target=/dev/vg0/web-swap' ]\n");
        GrowableDisk d = GrowableDisk.find("web", Optional.of(c), null, "/home", LAYOUT, storage(c, List.of()));
        assertEquals("/dev/vg0/web-home (xvda3, mounted at /home)", d.describe());
        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> GrowableDisk.find("web", Optional.of(c), null, "/home", List.of(), storage(c, List.of())));
        assertTrue(none.getMessage().contains("give --partitions LAYOUT"), none.getMessage());
        InvalidInputException other = assertThrows(InvalidInputException.class,
                () -> GrowableDisk.find("web", Optional.of(c), null, "/var", LAYOUT, storage(c, List.of())));
        assertTrue(other.getMessage().contains("no partition of the layout is mounted there (it mounts /, /home)"), other.getMessage());
    }

    @Test
    void withoutACfgTheRootIsFoundByItsNameUnderTheTarget() throws Exception {
        Path img = Files.createDirectories(tmp.resolve("store/domains/web")).resolve("disk.img");
        Files.writeString(img, "x");
        StorageTarget dir = new StorageTarget.Dir(tmp.resolve("store"));
        GuestStorage s = GuestStorage.find("web", Optional.empty(), dir, List.of("swap", "disk"), List.of(), runner);
        GrowableDisk d = GrowableDisk.find("web", Optional.empty(), dir, "/", List.of(), s);
        assertEquals(img.toString(), d.device());
        assertTrue(d.file());
    }

    @Test
    void aDiskAnotherGuestNamesOrAReadOnlyOneIsNeverGrown() throws Exception {
        DomUConfigFile c = cfg("disk = [ 'format=raw, vdev=xvda2, access=rw, target=/dev/vg0/shared', 'phy:/dev/vg0/web-swap,xvda1,w' ]\n");
        DomUConfigFile other = DomUConfigFile.parse(tmp.resolve("db.cfg"), "disk = [ 'phy:/dev/vg0/shared,xvda2,w' ]\n");
        HostStateException e = assertThrows(HostStateException.class,
                () -> GrowableDisk.find("web", Optional.of(c), null, "/", List.of(), storage(c, List.of(other))));
        assertEquals("cannot grow the disk of / of web: /dev/vg0/shared: another guest's .cfg names it too", e.getMessage());
        DomUConfigFile ro = cfg("disk = [ 'format=raw, vdev=xvda2, access=ro, target=/dev/vg0/web-disk' ]\n");
        HostStateException r = assertThrows(HostStateException.class,
                () -> GrowableDisk.find("web", Optional.of(ro), null, "/", List.of(), storage(ro, List.of())));
        assertTrue(r.getMessage().contains("read-only in "), r.getMessage());
    }
}
