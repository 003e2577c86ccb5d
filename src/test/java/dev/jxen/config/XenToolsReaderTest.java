package dev.jxen.config;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jxen reads a configuration file as xen-tools 4.9.2's readConfigurationFile does, line for line. The
 * golden values are what xen-tools' own reader made of a file of tricky lines (kept as fixtures); where
 * xen-tools is installed, its reader is run again to check the fixture.
 */
class XenToolsReaderTest {
    private static Path fixture(String name) throws Exception {
        return Path.of(XenToolsReaderTest.class.getResource("/xen-tools-4.9.2/reader/" + name).toURI());
    }

    @Test
    void jxenReadsWhatXenToolsReads() throws Exception {
        Path conf = fixture("tricky.conf");
        ConfigLayer layer = XenToolsConf.parse("t", conf.toString(), Files.readAllLines(conf));
        Map<String, String> jxen = new TreeMap<>();
        layer.values().forEach((k, v) -> jxen.put(k, v.text()));
        List<String> golden = Files.readAllLines(fixture("tricky.golden"));
        // the one deliberate difference: a key that is no setting name is skipped, with a warning
        List<String> expected = golden.stream().filter(l -> !l.startsWith("my key=")).toList();
        assertEquals(expected, jxen.entrySet().stream().map(e -> e.getKey() + "=[" + e.getValue() + "]").toList());
        assertTrue(layer.warnings().stream().anyMatch(w -> w.contains("'my key' is not a setting name")), layer.warnings().toString());
        assertTrue(layer.warnings().stream().anyMatch(w -> w.contains("'ip' is set again") && w.contains("the last one counts")),
                layer.warnings().toString());
        assertTrue(layer.warnings().stream().anyMatch(w -> w.contains("'vcpus =' has no value")), layer.warnings().toString());
    }

    @Test
    void theGoldenValuesAreWhatTheInstalledXenToolsReads() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("/usr/share/perl5/Xen/Tools/Common.pm")), "xen-tools is not installed (.ci/run installs it)");
        Path conf = fixture("tricky.conf");
        Process p = new ProcessBuilder("perl", "-e", "use Xen::Tools::Common; my %c; Xen::Tools::Common::readConfigurationFile($ARGV[0], \\%c); "
                + "for my $k (sort keys %c) { print \"$k=[$c{$k}]\\n\"; }", conf.toString())
                .directory(conf.getParent().toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String live = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor());
        assertEquals(Files.readString(fixture("tricky.golden")), live);
    }
}
