package dev.jxen.e2e;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A snapshot of a file tree: each path with its kind, mode, owner and content hash (or link target). */
public final class FileTree {
    private FileTree() {
    }

    public static Map<String, String> snapshot(Path root, List<String> excludedPrefixes) throws Exception {
        Map<String, String> out = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (excludedPrefixes.stream().anyMatch(rel::startsWith)) {
                    continue;
                }
                String what;
                if (Files.isSymbolicLink(p)) {
                    what = "link " + Files.readSymbolicLink(p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    what = "file " + HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p)));
                } else {
                    what = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "other";
                }
                if (!Files.isSymbolicLink(p)) {
                    what += " " + Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)
                            + " " + Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                }
                out.put(rel, what);
            }
        }
        return out;
    }
}
