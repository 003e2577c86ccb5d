package dev.jxen.customize;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the hooks for a distribution, the xen-tools way: every executable regular file in
 * {@code <dir>/<dist>.d/} (else {@code <family>.d/}), in sorted order, skipping editor backups; a
 * file of the same name in a later directory (the local {@code hooks.d}) replaces the shipped one.
 */
public final class HookRunner {
    private HookRunner() {
    }

    public static List<Path> hooksFor(List<Path> dirsLowestFirst, String dist, String family) {
        Map<String, Path> byName = new TreeMap<>();
        for (Path base : dirsLowestFirst) {
            Path dir = base.resolve(dist + ".d");
            if (!Files.isDirectory(dir)) {
                dir = base.resolve(family + ".d");
            }
            if (!Files.isDirectory(dir)) {
                dir = base; // a flat local override directory, as xen-tools' hooks.d
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    String n = p.getFileName().toString();
                    if (n.endsWith("~") || n.startsWith("#") || n.startsWith(".") || n.endsWith(".dpkg-old")
                            || n.endsWith(".dpkg-dist") || n.endsWith(".bak")) {
                        continue;
                    }
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(p)) {
                        if (Files.isExecutable(p)) {
                            byName.put(n, p);
                        } else {
                            byName.remove(n); // a non-executable override disables the hook
                        }
                    }
                }
            } catch (IOException e) {
                // a directory that cannot be read has no hooks
            }
        }
        return new ArrayList<>(byName.values());
    }
}
