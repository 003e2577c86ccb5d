package dev.jxen.customize;

import dev.jxen.cli.InProcess;
import dev.jxen.guest.Sandbox;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.Command;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dom0's time zone and locales written into a guest tree. locale-gen is recorded, not run (the
 * create ITs run it in a real guest); what is asserted is the files and the command around it.
 */
class Dom0SettingsStageTest {
    private static final byte[] TZIF = {'T', 'Z', 'i', 'f', '2', 0, (byte) 0xff, (byte) 0x80, 0x0a};
    @TempDir
    Path tmp;
    Path root;
    Path etc;
    final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void trees() throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Files.createDirectories(root.resolve("etc"));
        etc = Files.createDirectories(tmp.resolve("dom0/etc"));
        Path zones = Files.createDirectories(tmp.resolve("dom0/usr/share/zoneinfo/Europe"));
        Files.write(zones.resolve("Berlin"), TZIF);
        Files.createSymbolicLink(etc.resolve("localtime"), Path.of("../usr/share/zoneinfo/Europe/Berlin"));
        Files.writeString(etc.resolve("locale.gen"), "# en_GB.UTF-8 UTF-8\nde_DE.UTF-8 UTF-8\n");
        Files.createDirectories(etc.resolve("default"));
        Files.writeString(etc.resolve("default/locale"), "LANG=de_DE.UTF-8\n");
    }

    private RecordingCommandRunner run() {
        Path home = InProcess.home();
        Sandbox.Policy policy = new Sandbox.Policy(home.resolve("libexec/jxen-sandbox"), home.resolve("libexec/jxen-jail"),
                home.resolve("hooks/lib/in-guest.sh"), Sandbox.Trust.FRESH, tmp.resolve("work"), "web1", List.of(), Optional.empty());
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        b.add(new Dom0SettingsStage(etc, policy, mounted));
        RecordingCommandRunner runner = new RecordingCommandRunner();
        b.build().run(runner, new EventHandlers(new Redactor()).add(e -> warnings.add(e.toString())), new UndoStack());
        return runner;
    }

    @Test
    void aGuestWithTheZoneAndLocaleGenGetsALinkItsTimezoneTheLocalesAndLang() throws Exception {
        Files.createDirectories(root.resolve("usr/share/zoneinfo/Europe"));
        Files.write(root.resolve("usr/share/zoneinfo/Europe/Berlin"), TZIF);
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.writeString(root.resolve(Dom0SettingsStage.LOCALE_GEN), "#!/bin/sh\n");
        Files.createSymbolicLink(root.resolve("etc/localtime"), Path.of("/usr/share/zoneinfo/Etc/UTC"));
        Files.writeString(root.resolve("etc/timezone"), "Etc/UTC\n");

        RecordingCommandRunner runner = run();
        assertEquals(Path.of("/usr/share/zoneinfo/Europe/Berlin"), Files.readSymbolicLink(root.resolve("etc/localtime")));
        assertEquals("Europe/Berlin\n", Files.readString(root.resolve("etc/timezone")));
        assertEquals("# en_GB.UTF-8 UTF-8\nde_DE.UTF-8 UTF-8\n", Files.readString(root.resolve("etc/locale.gen")));
        assertEquals("LANG=de_DE.UTF-8\n", Files.readString(root.resolve("etc/default/locale")));
        List<Command> cs = runner.commands();
        assertEquals(1, cs.size(), runner.lines().toString());
        assertEquals(List.of("chroot", root.toString(), "/usr/sbin/locale-gen"), SandboxedCommands.afterLastDashes(cs.get(0)));
        assertEquals("unshare", cs.get(0).argv().get(0), "run in the guest's sandbox");
        assertTrue(cs.get(0).timeout() != null && cs.get(0).timeout().toMinutes() == 3, "bounded: " + cs.get(0).timeout());
    }

    @Test
    void aGuestWithoutTheZoneFileGetsTheDom0sAndOneWithoutLocaleGenKeepsCUtf8() throws Exception {
        RecordingCommandRunner runner = run();
        assertTrue(Files.isRegularFile(root.resolve("etc/localtime"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(TZIF, Files.readAllBytes(root.resolve("etc/localtime")), "the dom0's zone file, byte for byte");
        assertTrue(Files.notExists(root.resolve("etc/timezone")), "the guest keeps no /etc/timezone, so gets none");
        assertEquals("LANG=C.UTF-8\n", Files.readString(root.resolve("etc/default/locale")));
        assertEquals(List.of(), runner.commands());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("no locale-gen") && w.contains("de_DE.UTF-8")), warnings.toString());
    }

    @Test
    void aDom0WithoutLocalesRunsNothingInTheGuest() throws Exception {
        Files.writeString(etc.resolve("locale.gen"), "# nothing enabled\n");
        Files.writeString(etc.resolve("default/locale"), "LANG=C.UTF-8\n");
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.writeString(root.resolve(Dom0SettingsStage.LOCALE_GEN), "#!/bin/sh\n");
        assertEquals(List.of(), run().commands());
        assertEquals("LANG=C.UTF-8\n", Files.readString(root.resolve("etc/default/locale")));
    }

    @Test
    void aGuestWhoseDefaultLocaleLeadsToLocaleConfGetsLangThere() throws Exception {
        Files.createDirectories(root.resolve("etc/default"));
        Files.writeString(root.resolve("etc/locale.conf"), "LANG=C.UTF-8\n");
        Files.createSymbolicLink(root.resolve("etc/default/locale"), Path.of("../locale.conf"));
        Files.createDirectories(root.resolve("usr/sbin"));
        Files.writeString(root.resolve(Dom0SettingsStage.LOCALE_GEN), "#!/bin/sh\n");
        run();
        assertTrue(Files.isSymbolicLink(root.resolve("etc/default/locale")), "systemd's link (Debian 13) is kept");
        assertEquals("LANG=de_DE.UTF-8\n", Files.readString(root.resolve("etc/locale.conf")));
    }

    @Test
    void aDefaultLocaleLinkToAnythingElseIsReplacedNotFollowed() throws Exception {
        Files.createDirectories(root.resolve("etc/default"));
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.createSymbolicLink(root.resolve("etc/default/locale"), Path.of("/etc/shadow"));
        run();
        assertEquals("root:*:19000:0:99999:7:::\n", Files.readString(root.resolve("etc/shadow")));
        assertEquals("LANG=C.UTF-8\n", Files.readString(root.resolve("etc/default/locale")));
    }

}
