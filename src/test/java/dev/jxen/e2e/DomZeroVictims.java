package dev.jxen.e2e;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A tree of dom0 files that a hostile guest points its links at (a cron directory, an SSH key
 * directory, a shadow file, .deb files, a boot menu), and the dom0's mount table: each snapshot holds
 * every entry's type, mode, owner, content hash and link target, so that any change shows.
 */
public final class DomZeroVictims {
    public final Path dir;
    private Map<String, String> tree;
    private List<String> mounts;

    public DomZeroVictims(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir).toRealPath();
        Files.createDirectories(this.dir.resolve("cron.d"));
        Files.writeString(this.dir.resolve("cron.d/backup"), "0 3 * * * root /usr/local/bin/backup\n");
        Files.createDirectories(this.dir.resolve("root-ssh"));
        Files.writeString(this.dir.resolve("root-ssh/authorized_keys"), "ssh-ed25519 AAAA admin@dom0\n");
        Files.writeString(this.dir.resolve("shadow"), "root:$6$dom0$hash:19000:0:99999:7:::\n");
        Files.setPosixFilePermissions(this.dir.resolve("shadow"), PosixFilePermissions.fromString("rw-r-----"));
        Files.createDirectories(this.dir.resolve("debs"));
        Files.writeString(this.dir.resolve("debs/tool_1.0_amd64.deb"), "a dom0 package");
        Files.writeString(this.dir.resolve("grub.cfg"), "# the dom0's boot menu\n");
        Files.writeString(this.dir.resolve("machine-id"), "0123456789abcdef0123456789abcdef\n");
        Files.createDirectories(this.dir.resolve("empty"));
        snapshot();
    }

    /** Takes the snapshot the next {@link #assertUnchanged} compares with. */
    public void snapshot() throws Exception {
        tree = walk();
        mounts = Files.readAllLines(Path.of("/proc/self/mounts"));
    }

    public void assertUnchanged(String after) throws Exception {
        assertEquals(tree, walk(), "dom0 files changed " + after);
        assertEquals(mounts, Files.readAllLines(Path.of("/proc/self/mounts")), "the dom0's mounts changed " + after);
    }

    private Map<String, String> walk() throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String rel = dir.relativize(p).toString();
                String kind;
                if (Files.isSymbolicLink(p)) {
                    kind = "link " + Files.readSymbolicLink(p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    kind = "dir";
                } else {
                    kind = "file " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                }
                out.put(rel, kind + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                        + " " + Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":" + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS));
            }
        }
        return out;
    }
}
