package dev.jxen.config;

import dev.jxen.cli.InProcess;
import dev.jxen.error.InvalidInputException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLayersTest {
    static final Dom0Facts NO_DOM0 = TestDom0.NONE;

    @TempDir
    Path tmp;

    private Path configDir() throws Exception {
        Path dir = InProcess.scratchConfigDir(tmp);
        Files.writeString(dir.resolve("xen-tools.conf"), "memory = 200M\nvcpus = 2\nsize = 3G\nswap = 300M\nfs = ext3 # trailing comment\n"
                + "dhcp = 1\npygrub = 1\ndist = bookworm\nmirror = http://mirror.example/debian\n");
        Files.writeString(tmp.resolve("extra.conf"), "vcpus = 3\nsize = 5G\nswap = 400M\n");
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/p1.conf"), "size = 6G\nswap = 500M\n");
        return dir;
    }

    @Test
    void eachLayerOverridesTheOneBelowAndSaysWhere() throws Exception {
        Path dir = configDir();
        ConfigSources sources = new ConfigSources(dir, InProcess.home());
        ConfigLayer cli = new CommandLineLayer().add("hostname", List.of("h1")).add("swap", List.of("600M"))
                .add("config", List.of(tmp.resolve("extra.conf").toString())).add("profile", List.of("p1"))
                .add("dir", List.of("/srv/x")).build();
        ConfigLayers layers = ConfigLoader.load(sources, cli);
        assertEquals(List.of("xen-tools.conf", "--config", "profile p1", "command line"), layers.layers().stream().map(ConfigLayer::name).toList());
        assertEquals("200M", layers.text("memory").orElseThrow());          // global file only
        assertEquals("3", layers.text("vcpus").orElseThrow());              // --config over global
        assertEquals("6G", layers.text("size").orElseThrow());              // profile over --config
        assertEquals("600M", layers.text("swap").orElseThrow());            // command line over all
        assertEquals("ext3", layers.text("fs").orElseThrow());              // trailing comment stripped
        assertTrue(layers.get("vcpus").orElseThrow().origin().endsWith("extra.conf:1"), layers.get("vcpus").orElseThrow().origin());
        assertTrue(layers.get("memory").orElseThrow().origin().endsWith("xen-tools.conf:1"));
        ImageSpec spec = new ImageSpecBuilder(layers, sources, NO_DOM0).build();
        assertEquals(200L << 20, spec.domain().memory().bytes());
        assertEquals(3, spec.domain().vcpus());
        assertEquals(6L << 30, spec.storage().root().size().bytes());
        assertEquals(600L << 20, spec.storage().partitions().get(0).size().bytes());
    }

    @Test
    void builtInDefaultsApplyWhenTheConfigDirHasNoXenToolsConf() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        ConfigSources sources = new ConfigSources(empty, InProcess.home());
        ConfigLayers layers = ConfigLoader.load(sources, new CommandLineLayer().add("hostname", List.of("h")).build());
        assertEquals("built-in defaults", layers.layers().get(0).name());
        assertEquals("4G", layers.text("size").orElseThrow());
    }

    @Test
    void backtickValuesAreCommandOutputAndContinuationsJoin() throws Exception {
        Path f = tmp.resolve("bt.conf");
        Files.writeString(f, "kernel = /boot/vmlinuz-`echo 6.1.0-x`\nmemory = `printf 1`28M\nrole-args = --a \\\n --b\n");
        ConfigLayer l = XenToolsConf.read("t", f);
        assertEquals("/boot/vmlinuz-6.1.0-x", l.values().get("kernel").text());
        assertEquals("128M", l.values().get("memory").text());
        assertEquals("--a  --b", l.values().get("role-args").text());
    }

    @Test
    void aFailingBacktickCommandIsAWarningAndAnEmptyValue() throws Exception {
        Path f = tmp.resolve("bt.conf");
        Files.writeString(f, "dist = `exit 2`\n");
        ConfigLayer l = XenToolsConf.read("t", f);
        assertEquals("", l.values().get("dist").text());
        assertEquals(1, l.warnings().size());
        assertTrue(l.warnings().get(0).contains("bt.conf:1"), l.warnings().get(0));
    }

    @Test
    void aWorldWritableConfigFileIsRefused() throws Exception {
        Path f = tmp.resolve("ww.conf");
        Files.writeString(f, "size = 1G\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> XenToolsConf.read("t", f));
        assertTrue(e.getMessage().contains("writable by every user"), e.getMessage());
    }

    @Test
    void linesXenToolsSkipsAreSkippedWithAWarningNamingFileAndLine() throws Exception {
        Path f = tmp.resolve("odd.conf");
        Files.writeString(f, "size = 1G\n\nthis is not a setting\nmy key = x\n");
        ConfigLayer l = XenToolsConf.read("t", f);
        assertEquals(Set.of("size"), l.values().keySet());
        assertTrue(l.warnings().get(0).contains("odd.conf:3") && l.warnings().get(0).contains("ignored"), l.warnings().toString());
        assertTrue(l.warnings().get(1).contains("odd.conf:4"), l.warnings().toString());
    }

    @Test
    void aKeyWithNothingAfterItsEqualsSignLeavesTheLowerLayersValue() throws Exception {
        Path dir = configDir();
        Files.writeString(tmp.resolve("extra.conf"), "vcpus =\nmemory = \nsize=5G=x\nkernel = a`printf b`c`printf d`e\n");
        ConfigSources sources = new ConfigSources(dir, InProcess.home());
        ConfigLayers layers = ConfigLoader.load(sources, new CommandLineLayer().add("config", List.of(tmp.resolve("extra.conf").toString())).build());
        assertEquals("2", layers.text("vcpus").orElseThrow(), "'vcpus =' is ignored by xen-tools");
        assertTrue(layers.get("vcpus").orElseThrow().origin().endsWith("xen-tools.conf:2"));
        assertEquals("", layers.get("memory").orElseThrow().text(), "'memory = ' with a blank is an empty value in xen-tools");
        assertEquals("5G=x", layers.get("size").orElseThrow().text(), "the key ends at the first '='");
        assertEquals("a`printf b`cde", layers.get("kernel").orElseThrow().text(), "xen-tools expands the last pair of backticks only");
        assertTrue(layers.layers().get(1).warnings().stream().anyMatch(w -> w.contains("extra.conf:1") && w.contains("lower layer")),
                layers.layers().get(1).warnings().toString());
    }

    @Test
    void debiansOwnXenToolsConfLoads() throws Exception {
        Path debian = Path.of(ConfigLayersTest.class.getResource("/xen-tools-4.9.2/xen-tools.conf").toURI());
        ConfigLayer l = XenToolsConf.parse("xen-tools.conf", debian.toString(), Files.readAllLines(debian));
        assertEquals("debootstrap", l.values().get("install-method").text());
        assertTrue(l.values().containsKey("ext4_options"));
        assertTrue(l.values().get("kernel").text().startsWith("/boot/vmlinuz-"));
        assertEquals(List.of(), l.warnings().stream().filter(w -> !w.contains("`")).toList(), "Debian's file reads without a warning");
    }
}
