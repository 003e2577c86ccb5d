package dev.jxen.config;

import dev.jxen.cli.InProcess;
import dev.jxen.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionLayoutTest {
    @Test
    void theShippedSampleServerLayoutReads() {
        List<PartitionSpec> p = PartitionLayout.read(InProcess.home().resolve("etc-xen-tools/partitions.d/sample-server"));
        assertEquals(List.of("swap", "root", "var", "home"), p.stream().map(PartitionSpec::name).toList(),
                "in xen-tools' order: by the length of the mountpoint, swap first");
        assertEquals("xfs", p.get(3).type());
        assertTrue(p.get(0).isSwap());
    }

    @Test
    void everyErrorHasItsLineNumber() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PartitionLayout.parse("layout", List.of(
                "[root]", "size=1G", "type=ext4", "mountpoint=/",
                "[home]", "size=lots", "type=xfs", "mountpoint=home",
                "[root]", "size=1G", "type=swap",
                "stray line",
                "[x]", "size=1G", "type=ext4", "mountpoint=/srv/../etc", "colour=blue")));
        String m = e.getMessage();
        assertTrue(m.contains("layout:6: size of [home]"), m);
        assertTrue(m.contains("layout:8: mountpoint 'home'"), m);
        assertTrue(m.contains("layout:9: partition [root] is defined twice"), m);
        assertTrue(m.contains("layout:12: expected"), m);
        assertTrue(m.contains("layout:16: mountpoint '/srv/../etc'"), m);
        assertTrue(m.contains("layout:17: unknown key 'colour'"), m);
    }

    @Test
    void aLayoutWithoutRootIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PartitionLayout.parse("l", List.of(
                "[swap]", "size=1G", "type=swap")));
        assertTrue(e.getMessage().contains("no partition has mountpoint /"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/.", "/var/.", "/var/./log", "/var/", "//var", "/srv/.."})
    void aMountpointWithDotComponentsOrStraySlashesIsRefused(String mp) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PartitionLayout.parse("l", List.of(
                "[root]", "size=1G", "type=ext4", "mountpoint=/",
                "[x]", "size=1G", "type=ext4", "mountpoint=" + mp)));
        assertTrue(e.getMessage().contains("l:8: mountpoint '" + mp + "' of [x]"), e.getMessage());
    }

    @Test
    void aDirectoryAndTheSameWithADotAreNotTwoMountpoints() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PartitionLayout.parse("l", List.of(
                "[root]", "size=1G", "type=ext4", "mountpoint=/",
                "[var]", "size=1G", "type=ext4", "mountpoint=/var",
                "[var2]", "size=1G", "type=ext4", "mountpoint=/var/.")));
        assertTrue(e.getMessage().contains("mountpoint '/var/.' of [var2] must not hold '.' or '..' components"), e.getMessage());
    }
}
