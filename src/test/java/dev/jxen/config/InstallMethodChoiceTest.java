package dev.jxen.config;

import dev.jxen.cli.InProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mmdebstrap first: with no install method set anywhere, a dom0 with mmdebstrap installs with it and
 * one without uses debootstrap; a method that is typed or configured wins, and so does a debootstrap
 * setting; the reason comes with the choice.
 */
class InstallMethodChoiceTest {
    @TempDir
    Path tmp;

    private ImageSpec.InstallSpec install(TestDom0 dom0, String configLines, String... settings) throws Exception {
        Path config = InProcess.scratchConfigDir(tmp.resolve("c" + System.nanoTime()));
        Files.writeString(config.resolve("xen-tools.conf"), configLines, StandardOpenOption.APPEND);
        CommandLineLayer cli = new CommandLineLayer();
        cli.add("hostname", List.of("web1")).add("dir", List.of(tmp.resolve("store").toString()))
                .add("dist", List.of("bookworm")).add("mirror", List.of("http://mirror.example/debian"))
                .add("output", List.of(tmp.resolve("out").toString()));
        for (String s : settings) {
            String[] kv = s.split("=", 2);
            cli.add(kv[0], List.of(kv[1]));
        }
        ConfigSources sources = new ConfigSources(config, InProcess.home());
        return new ImageSpecBuilder(ConfigLoader.load(sources, cli.build()), sources, dom0).build().install();
    }

    @Test
    void unsetItIsMmdebstrapWhereInstalled() throws Exception {
        ImageSpec.InstallSpec in = install(TestDom0.NONE.with("mmdebstrap"), "");
        assertEquals(ImageSpec.InstallMethod.MMDEBSTRAP, in.method());
        assertTrue(in.methodWhy().contains("mmdebstrap is installed"), in.methodWhy());
    }

    @Test
    void unsetItIsDebootstrapWhereMmdebstrapIsNot() throws Exception {
        ImageSpec.InstallSpec in = install(TestDom0.NONE, "");
        assertEquals(ImageSpec.InstallMethod.DEBOOTSTRAP, in.method());
        assertTrue(in.methodWhy().contains("mmdebstrap is not installed"), in.methodWhy());
    }

    @Test
    void aConfiguredMethodWins() throws Exception {
        ImageSpec.InstallSpec in = install(TestDom0.NONE.with("mmdebstrap"), "\ninstall-method = debootstrap\n");
        assertEquals(ImageSpec.InstallMethod.DEBOOTSTRAP, in.method());
        assertTrue(in.methodWhy().startsWith("as install-method = debootstrap (") && in.methodWhy().contains("xen-tools.conf"), in.methodWhy());
    }

    @Test
    void aTypedMethodWins() throws Exception {
        ImageSpec.InstallSpec in = install(TestDom0.NONE, "\ninstall-method = debootstrap\n", "install-method=mmdebstrap");
        assertEquals(ImageSpec.InstallMethod.MMDEBSTRAP, in.method());
        assertEquals("as --install-method=mmdebstrap says", in.methodWhy());
    }

    @Test
    void aDebootstrapSettingKeepsDebootstrap() throws Exception {
        ImageSpec.InstallSpec in = install(TestDom0.NONE.with("mmdebstrap"), "\ndebootstrap-cmd = /usr/sbin/debootstrap\n");
        assertEquals(ImageSpec.InstallMethod.DEBOOTSTRAP, in.method());
        assertTrue(in.methodWhy().contains("debootstrap-cmd = /usr/sbin/debootstrap") && in.methodWhy().contains("is a debootstrap setting"),
                in.methodWhy());
    }

    @Test
    void keepingDebsKeepsDebootstrap() throws Exception {
        ImageSpec.InstallSpec in = install(TestDom0.NONE.with("mmdebstrap"), "", "cache=yes");
        assertEquals(ImageSpec.InstallMethod.DEBOOTSTRAP, in.method());
        assertTrue(in.methodWhy().contains("--cache=yes is a debootstrap setting"), in.methodWhy());
    }

    @Test
    void notKeepingDebsLeavesMmdebstrap() throws Exception {
        ImageSpec.InstallSpec in = install(TestDom0.NONE.with("mmdebstrap"), "", "cache=no");
        assertEquals(ImageSpec.InstallMethod.MMDEBSTRAP, in.method());
        assertTrue(in.methodWhy().contains("mmdebstrap is installed"), in.methodWhy());
    }
}
