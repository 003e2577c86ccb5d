package dev.jxen.customize;

import dev.jxen.cli.InProcess;
import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLoader;
import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.ImageSpecBuilder;
import dev.jxen.config.TestDom0;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel a guest that boots its own will start: found as its boot menu or /boot names it, and one pvgrub2 in a PV guest can unpack. */
class GuestKernelStageTest {
    private static final String GZIP = "1f8b0800";
    private static final String ZSTD = "28b52ffd";

    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void guest() throws Exception {
        root = Files.createDirectories(tmp.resolve("root/boot"));
        root = root.getParent();
    }

    /** A bzImage (boot protocol 2.15) whose payload starts with {@code magicHex}. */
    private static byte[] bzImage(String magicHex) {
        byte[] magic = HexFormat.of().parseHex(magicHex);
        int setupSects = 30;
        int offset = 0x3c2;
        int start = (setupSects + 1) * 512 + offset;
        ByteBuffer b = ByteBuffer.allocate(start + 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) setupSects);
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) 0x020f);
        b.putInt(0x248, offset);
        b.put(start, magic);
        return b.array();
    }

    private void kernel(String name, String magicHex) throws Exception {
        Files.write(root.resolve("boot").resolve(name), bzImage(magicHex));
    }

    private String run(ImageSpec spec) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        StageResult<String> kernel = b.add(new GuestKernelStage(spec, mounted));
        return b.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack()).get(kernel);
    }

    private ImageSpec pygrub() throws Exception {
        return TestSpecs.spec(tmp, "hostname=k1", "dir=" + tmp.resolve("store"));
    }

    /** A spec on a dom0 with grub-xen-host, so that pvgrub2 can be chosen. */
    private ImageSpec pvgrub2(String type) throws Exception {
        Path grub = Files.createDirectories(tmp.resolve("grub-xen"));
        Files.writeString(grub.resolve("grub-x86_64-xen.bin"), "pv");
        Files.writeString(grub.resolve("grub-i386-xen_pvh.bin"), "pvh");
        Path config = InProcess.scratchConfigDir(tmp.resolve("c" + System.nanoTime()));
        CommandLineLayer cli = new CommandLineLayer();
        for (String s : new String[] {"hostname=k1", "dir=" + tmp.resolve("store"), "dist=trixie", "mirror=http://mirror.example/debian",
                "output=" + tmp.resolve("out"), "boot-path=pvgrub2", "type=" + type}) {
            String[] kv = s.split("=", 2);
            cli.add(kv[0], List.of(kv[1]));
        }
        ConfigSources sources = new ConfigSources(config, InProcess.home());
        ImageSpec spec = new ImageSpecBuilder(ConfigLoader.load(sources, cli.build()), sources, new TestDom0(grub, Optional.of(true))).build();
        assertEquals(ImageSpec.BootPath.PVGRUB2, spec.domain().start().path());
        assertEquals(type, spec.domain().start().type().key());
        return spec;
    }

    @Test
    void withoutABootMenuTheNewestKernelByVersionNumber() throws Exception {
        kernel("vmlinuz-6.1.0-9-amd64", GZIP);
        kernel("vmlinuz-6.1.0-10-amd64", GZIP);
        Files.writeString(root.resolve("boot/config-6.1.0-11-amd64"), "not a kernel");
        assertEquals("/boot/vmlinuz-6.1.0-10-amd64", run(pygrub()), "10 sorts after 9 as a number, not as text");
    }

    @Test
    void theBootMenusFirstLinuxWinsOverTheNewestFile() throws Exception {
        kernel("vmlinuz-6.1.0-9-amd64", GZIP);
        kernel("vmlinuz-6.1.0-10-amd64", GZIP);
        Files.createDirectories(root.resolve("boot/grub"));
        Files.writeString(root.resolve("boot/grub/grub.cfg"), "set default=0\nmenuentry 'Linux' {\n    linux /boot/vmlinuz-6.1.0-9-amd64 root=/dev/xvda2 ro\n"
                + "}\nmenuentry 'Other' {\n    linux /boot/vmlinuz-6.1.0-10-amd64 root=/dev/xvda2 ro\n}\n");
        assertEquals("/boot/vmlinuz-6.1.0-9-amd64", run(pygrub()));
    }

    @Test
    void aGuestWithoutAKernelOrWithAMenuNamingAMissingOneFails() throws Exception {
        StageFailedException none = assertThrows(StageFailedException.class, () -> run(pygrub()));
        assertTrue(none.getMessage().contains("no kernel in /boot"), none.getMessage());

        kernel("vmlinuz-6.1.0-9-amd64", GZIP);
        Files.createDirectories(root.resolve("boot/grub"));
        Files.writeString(root.resolve("boot/grub/grub.cfg"), "menuentry 'x' {\n  linux /boot/vmlinuz-6.1.0-99-amd64 ro\n}\n");
        StageFailedException missing = assertThrows(StageFailedException.class, () -> run(pygrub()));
        assertTrue(missing.getMessage().contains("/boot/vmlinuz-6.1.0-99-amd64") && missing.getMessage().contains("not a file in the guest"),
                missing.getMessage());
    }

    @Test
    void aMenuLinkLeadingOutOfTheGuestIsNotFollowed() throws Exception {
        Path outside = Files.write(tmp.resolve("dom0-vmlinuz"), bzImage(GZIP));
        Files.createSymbolicLink(root.resolve("boot/vmlinuz-6.1.0-9-amd64"), outside);
        // resolved inside the guest, the absolute link names /tmp/... of the guest, which it does not have
        StageFailedException e = assertThrows(StageFailedException.class, () -> run(pygrub()));
        assertTrue(e.getMessage().contains("not a file in the guest"), e.getMessage());
    }

    @Test
    void pvgrub2InAPvGuestRefusesAZstdKernelAndTakesTheUnpackedCopy() throws Exception {
        kernel("vmlinuz-6.12.9-amd64", ZSTD);
        ImageSpec pv = pvgrub2("pv");
        StageFailedException e = assertThrows(StageFailedException.class, () -> run(pv));
        assertTrue(e.getMessage().contains("zstd-compressed") && e.getMessage().contains("pvgrub2 cannot unpack"), e.getMessage());

        // what the boot-menu hook makes: an unpacked ELF copy, first in the menu
        Files.write(root.resolve("boot/vmlinux-6.12.9-amd64"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        Files.createDirectories(root.resolve("boot/grub"));
        Files.writeString(root.resolve("boot/grub/grub.cfg"), "menuentry 'Linux 6.12.9-amd64' {\n    if [ \"$grub_platform\" = xen ]; then\n"
                + "        linux /boot/vmlinux-6.12.9-amd64 root=/dev/xvda2 ro\n    else\n        linux /boot/vmlinuz-6.12.9-amd64 root=/dev/xvda2 ro\n"
                + "    fi\n}\n");
        assertEquals("/boot/vmlinux-6.12.9-amd64", run(pv));
    }

    @Test
    void pvgrub2InAPvhGuestAndPygrubTakeAZstdKernel() throws Exception {
        kernel("vmlinuz-6.12.9-amd64", ZSTD);
        assertEquals("/boot/vmlinuz-6.12.9-amd64", run(pvgrub2("pvh")));
        assertEquals("/boot/vmlinuz-6.12.9-amd64", run(pygrub()));
    }
}
