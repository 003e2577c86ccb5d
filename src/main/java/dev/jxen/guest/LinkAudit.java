package dev.jxen.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the links in a tree jxen did not make (a copy or tar source) that would lead a write out of
 * it when followed from the dom0, on the paths that jxen, its hooks and the usual local hooks write.
 * jxen itself resolves every path inside the guest; this check protects scripts that do not.
 */
public final class LinkAudit {
    /** Guest paths written by jxen and the shipped hooks; each prefix of them is checked too. */
    public static final List<String> WRITTEN = List.of(
            "etc/hostname", "etc/mailname", "etc/machine-id", "etc/fstab", "etc/hosts", "etc/resolv.conf",
            "etc/shadow", "etc/passwd", "etc/group", "etc/ssh/sshd_config", "etc/network/interfaces",
            "etc/systemd/network/10-jxen.network", "etc/systemd/system/multi-user.target.wants/systemd-networkd.service",
            "etc/apt/sources.list", "etc/apt/sources.list.d/debian.sources", "etc/apt/apt.conf.d/01proxy",
            "root/.ssh/authorized_keys", "boot/grub/grub.cfg", "usr/sbin/policy-rc.d",
            "var/lib/dbus/machine-id", "var/lib/systemd/random-seed", "var/cache/apt/archives/partial",
            "var/log/dpkg.log", "proc", "sys", "dev", "tmp");

    private LinkAudit() {
    }

    /** Each offending link as {@code /guest/path -> target}, in the order found. */
    public static List<String> linksLeaving(Path tree) throws IOException {
        Path root = tree.toRealPath();
        Set<String> found = new LinkedHashSet<>();
        for (String written : WRITTEN) {
            Path at = root;
            for (String c : written.split("/")) {
                at = at.resolve(c);
                if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                    break;
                }
                if (Files.isSymbolicLink(at)) {
                    Path target = Files.readSymbolicLink(at);
                    Path followed = at.getParent().resolve(target).normalize();
                    if (!followed.startsWith(root)) {
                        found.add("/" + root.relativize(at) + " -> " + target);
                    }
                    break;
                }
            }
        }
        return new ArrayList<>(found);
    }
}
