package dev.jxen.guest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Links in a copy or tar tree that lead out of it, on paths jxen and hooks write, are found and named. */
class LinkAuditTest {
    @TempDir
    Path tmp;

    @Test
    void linksLeavingTheTreeOnWrittenPathsAreListed() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Files.createDirectories(tree.resolve("etc"));
        Files.createDirectories(tree.resolve("root"));
        Files.createSymbolicLink(tree.resolve("etc/ssh"), Path.of("/etc/ssh"));
        Files.createSymbolicLink(tree.resolve("root/.ssh"), Path.of("../../../root/.ssh"));
        Files.createSymbolicLink(tree.resolve("etc/machine-id"), Path.of("/etc/machine-id"));
        // links that stay inside the tree, and links on paths nobody writes, are fine
        Files.createDirectories(tree.resolve("usr/lib"));
        Files.createSymbolicLink(tree.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(tree.resolve("etc/mtab"), Path.of("/proc/self/mounts"));
        Files.createSymbolicLink(tree.resolve("etc/resolv.conf"), Path.of("../run/resolvconf/resolv.conf"));

        assertEquals(List.of("/etc/machine-id -> /etc/machine-id", "/etc/ssh -> /etc/ssh", "/root/.ssh -> ../../../root/.ssh"),
                LinkAudit.linksLeaving(tree).stream().sorted().toList());
    }

    @Test
    void aCleanTreeHasNone() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("clean/etc/ssh"));
        assertEquals(List.of(), LinkAudit.linksLeaving(tree.getParent().getParent()));
    }
}
