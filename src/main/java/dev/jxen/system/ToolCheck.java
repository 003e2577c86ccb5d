package dev.jxen.system;

import dev.jxen.error.HostStateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds the external programs jxen needs, before anything is touched. */
public final class ToolCheck {
    private static final Map<String, String> PACKAGE = Map.ofEntries(
            Map.entry("debootstrap", "debootstrap"), Map.entry("mmdebstrap", "mmdebstrap"),
            Map.entry("mkfs.ext4", "e2fsprogs"), Map.entry("mkfs.ext3", "e2fsprogs"), Map.entry("mkfs.ext2", "e2fsprogs"),
            Map.entry("mkfs.xfs", "xfsprogs"), Map.entry("mkfs.btrfs", "btrfs-progs"), Map.entry("mkswap", "util-linux"),
            Map.entry("lvcreate", "lvm2"), Map.entry("lvremove", "lvm2"), Map.entry("lvs", "lvm2"),
            Map.entry("zfs", "zfsutils-linux"), Map.entry("losetup", "mount"), Map.entry("tar", "tar"),
            Map.entry("zstd", "zstd"), Map.entry("xl", "xen-utils"), Map.entry("rsync", "rsync"),
            Map.entry("ssh-keygen", "openssh-client"), Map.entry("chroot", "coreutils"),
            Map.entry("gpgv", "gpgv"), Map.entry("dpkg-deb", "dpkg"), Map.entry("xenstore-read", "xenstore-utils"),
            Map.entry("e2fsck", "e2fsprogs"), Map.entry("resize2fs", "e2fsprogs"), Map.entry("dumpe2fs", "e2fsprogs"),
            Map.entry("xfs_repair", "xfsprogs"), Map.entry("xfs_growfs", "xfsprogs"), Map.entry("xfs_db", "xfsprogs"),
            Map.entry("btrfs", "btrfs-progs"), Map.entry("lvextend", "lvm2"), Map.entry("fallocate", "util-linux"));

    private ToolCheck() {
    }

    /** The tool's path on PATH (or as given, if absolute), if it is there and executable. */
    public static Optional<Path> find(String tool) {
        if (tool.contains("/")) {
            Path p = Path.of(tool);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Throws a host-state error naming the tool, why it is needed and how to get it. */
    public static Path require(String tool, String reason) {
        return find(tool).orElseThrow(() -> new HostStateException(
                tool + " is needed " + reason + " but was not found on PATH", hintFor(tool)));
    }

    static String hintFor(String tool) {
        String pkg = PACKAGE.get(new java.io.File(tool).getName());
        return pkg == null ? "install " + tool + " or fix PATH" : "install it with: apt-get install " + pkg;
    }
}
