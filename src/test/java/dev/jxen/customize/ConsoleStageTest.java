package dev.jxen.customize;

import dev.jxen.pipeline.Pipeline;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consoles as xen-tools' hooks leave them, on a systemd guest and on a sysvinit one, and a link in the guest not followed. */
class ConsoleStageTest {
    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void guest() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
    }

    private void run(String serial) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        b.add(new ConsoleStage(serial, mounted));
        b.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack());
    }

    @Test
    void aSystemdGuestLosesItsTty1GettyAndItsSecurettyGainsTheXenConsoles() throws Exception {
        Path wants = Files.createDirectories(root.resolve("etc/systemd/system/getty.target.wants"));
        Files.createSymbolicLink(wants.resolve("getty@tty1.service"), Path.of("/lib/systemd/system/getty@.service"));
        Files.writeString(root.resolve("etc/securetty"), "console\nhvc0\ntty1\n");
        run("hvc0");
        assertFalse(Files.exists(wants.resolve("getty@tty1.service"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of("console", "hvc0", "tty1", "xvc0"), Files.readAllLines(root.resolve("etc/securetty")), "hvc0 was there once already");
        run("hvc0");
        assertEquals(4, Files.readAllLines(root.resolve("etc/securetty")).size(), "a second run adds nothing");
    }

    @Test
    void aGuestWithoutSecurettyGetsNone() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        run("hvc0");
        assertFalse(Files.exists(root.resolve("etc/securetty")), "xen-tools adds consoles only where the guest has the file");
    }

    @Test
    void aSysvinitGuestHasOneGettyOnTheConsoleAndNoHwclockScript() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/inittab"), String.join("\n", "id:2:initdefault:", "1:2345:respawn:/sbin/getty 38400 tty1",
                "2:23:respawn:/sbin/getty 38400 tty2", "6:23:respawn:/sbin/getty 38400 tty6", "T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100",
                "#3:23:respawn:/sbin/getty 38400 tty1") + "\n");
        Path rcs = Files.createDirectories(root.resolve("etc/rcS.d"));
        Files.createSymbolicLink(rcs.resolve("S03hwclock.sh"), Path.of("../init.d/hwclock.sh"));
        Files.createSymbolicLink(rcs.resolve("S04udev"), Path.of("../init.d/udev"));
        Path rc0 = Files.createDirectories(root.resolve("etc/rc0.d"));
        Files.createSymbolicLink(rc0.resolve("K07hwclock.sh"), Path.of("../init.d/hwclock.sh"));
        run("xvc0");
        assertEquals(List.of("id:2:initdefault:", "1:2345:respawn:/sbin/getty 38400 xvc0", "#2:23:respawn:/sbin/getty 38400 tty2",
                "#6:23:respawn:/sbin/getty 38400 tty6", "#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100", "#3:23:respawn:/sbin/getty 38400 tty1"),
                Files.readAllLines(root.resolve("etc/inittab")));
        assertFalse(Files.exists(rcs.resolve("S03hwclock.sh"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(rc0.resolve("K07hwclock.sh"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isSymbolicLink(rcs.resolve("S04udev")), "only hwclock.sh goes");
    }

    @Test
    void aSecurettyThatLinksOutOfTheGuestIsReadAndWrittenInsideIt() throws Exception {
        Path outside = Files.writeString(tmp.resolve("dom0-securetty"), "console\n");
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/securetty"), outside);
        run("hvc0");
        assertEquals("console\n", Files.readString(outside), "the dom0's file was changed through the guest's link");
    }

    @Test
    void aTty1UnitTheGuestMadeItselfAndAnInittabWithNothingToDoAreLeftAlone() throws Exception {
        Path wants = Files.createDirectories(root.resolve("etc/systemd/system/getty.target.wants"));
        Files.writeString(wants.resolve("getty@tty1.service"), "[Service]\n");
        String inittab = "id:2:initdefault:\n1:2345:respawn:/sbin/getty 38400 hvc0\n";
        Files.writeString(root.resolve("etc/inittab"), inittab);
        Files.setLastModifiedTime(root.resolve("etc/inittab"), java.nio.file.attribute.FileTime.fromMillis(0));
        run("hvc0");
        assertTrue(Files.isRegularFile(wants.resolve("getty@tty1.service")), "only a link (an enabled unit) is removed");
        assertEquals(0, Files.getLastModifiedTime(root.resolve("etc/inittab")).toMillis(), "an inittab needing nothing was rewritten");
    }
}
