package dev.jxen.customize;

import dev.jxen.error.InvalidInputException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config directory's skel/ copied into the guest with owners and modes; what root alone could not have made, refused. */
class SkelStageTest {
    @TempDir
    Path tmp;
    Path root;
    Path skel;

    @BeforeEach
    void trees() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.setPosixFilePermissions(root.resolve("etc"), PosixFilePermissions.fromString("rwxr-xr-x"));
        skel = Files.createDirectories(tmp.resolve("config/skel"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void run() {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        b.add(new SkelStage(skel, mounted));
        b.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack());
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private Path file(String rel, String text, String mode) throws Exception {
        Path p = skel.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void filesDirectoriesAndLinksArriveWithTheirModesAndOwners() throws Exception {
        file("etc/motd", "managed by the site\n", "rw-r--r--");
        file("root/.ssh/config", "Host *\n", "rw-------");
        Files.setPosixFilePermissions(skel.resolve("root/.ssh"), PosixFilePermissions.fromString("rwx------"));
        Path home = Files.createDirectories(skel.resolve("home/alice"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(skel.resolve("etc/issue.net"), Path.of("motd"));
        Files.writeString(root.resolve("etc/motd"), "the guest's own\n");
        Files.setPosixFilePermissions(root.resolve("etc"), PosixFilePermissions.fromString("rwxr-xr-x"));

        run();
        assertEquals("managed by the site\n", Files.readString(root.resolve("etc/motd")));
        assertEquals("rw-r--r--", mode(root.resolve("etc/motd")));
        assertEquals("rw-------", mode(root.resolve("root/.ssh/config")));
        assertEquals("rwx------", mode(root.resolve("root/.ssh")));
        assertEquals("rwxr-x---", mode(root.resolve("home/alice")));
        assertEquals(Path.of("motd"), Files.readSymbolicLink(root.resolve("etc/issue.net")));
        assertEquals("rwxr-xr-x", mode(root.resolve("etc")), "the guest's own /etc keeps its mode");
        assertEquals(0, Files.getAttribute(root.resolve("root/.ssh/config"), "unix:uid"));
    }

    @Test
    void thePlanNamesEveryEntry() throws Exception {
        file("etc/motd", "x\n", "rw-r--r--");
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        b.add(new SkelStage(skel, mounted));
        List<PlannedAction> plan = b.build().plan().get(1).actions();
        assertEquals(2, plan.size(), plan.toString());
        assertTrue(plan.get(0).toString().contains("MOUNTPOINT/etc"), plan.toString());
        assertTrue(plan.get(1).toString().contains("MOUNTPOINT/etc/motd") && plan.get(1).toString().contains("0:0 rw-r--r--"), plan.toString());
    }

    @Test
    void aGuestsLinkLeadsNoCopyOutOfIt() throws Exception {
        file("root/.profile", "site profile\n", "rw-r--r--");
        Path dom0Dir = Files.createDirectories(tmp.resolve("dom0-root"));
        Files.createSymbolicLink(root.resolve("root"), dom0Dir);
        run();
        assertFalse(Files.exists(dom0Dir.resolve(".profile")), "the copy followed the guest's link into the dom0");
        assertEquals("site profile\n", Files.readString(root.resolve(dom0Dir.toString().substring(1)).resolve(".profile")),
                "the link is resolved inside the guest");
    }

    @Test
    void whatOthersCouldChangeOrSetIdFilesOrDevicesAreRefusedBeforeAnythingIsCopied() throws Exception {
        Path motd = file("etc/motd", "x\n", "rw-rw-rw-");
        var e = assertThrows(InvalidInputException.class, () -> new SkelStage(skel, null).verify());
        assertTrue(e.getMessage().contains("writable by every user") && e.getMessage().contains("motd"), e.getMessage());
        Files.setPosixFilePermissions(motd, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setAttribute(motd, "unix:mode", 04755);
        e = assertThrows(InvalidInputException.class, () -> new SkelStage(skel, null).verify());
        assertTrue(e.getMessage().contains("set-id"), e.getMessage());
        Files.setAttribute(motd, "unix:mode", 0644);
        Process p = new ProcessBuilder("mkfifo", skel.resolve("etc/pipe").toString()).start();
        assertEquals(0, p.waitFor());
        e = assertThrows(InvalidInputException.class, () -> new SkelStage(skel, null).verify());
        assertTrue(e.getMessage().contains("no devices, pipes or sockets"), e.getMessage());
        assertFalse(Files.exists(root.resolve("etc/motd")));
    }

    @Test
    void withoutSkelNothingHappens() throws Exception {
        Files.delete(skel);
        run();
        assertEquals(List.of("etc"), Files.list(root).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aSkelThatIsALinkToADirectoryIsFollowedAsXenToolsFollowsIt() throws Exception {
        file("etc/motd", "from the real skel\n", "rw-r--r--");
        Path link = tmp.resolve("config/skel-link");
        Files.createSymbolicLink(link, skel);
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        b.add(new SkelStage(link, mounted));
        b.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack());
        assertEquals("from the real skel\n", Files.readString(root.resolve("etc/motd")));
    }
}
