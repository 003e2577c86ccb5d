package dev.jxen.install;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Empties a mounted guest tree after a broken cache entry unpacked part of it: every file and
 * directory goes, except the directories that other filesystems of the guest are mounted on, whose
 * contents go instead. Links are removed, never followed.
 */
final class TreeWipe {
    private TreeWipe() {
    }

    static void wipe(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (!dir.equals(root) && !isMountPoint(dir)) {
                    Files.delete(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            private boolean isMountPoint(Path dir) throws IOException {
                Object parent = Files.getAttribute(dir.getParent(), "unix:dev", LinkOption.NOFOLLOW_LINKS);
                return !Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS).equals(parent);
            }
        });
    }
}
