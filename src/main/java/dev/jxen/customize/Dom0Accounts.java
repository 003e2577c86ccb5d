package dev.jxen.customize;

import dev.jxen.guest.GuestRoot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * --accounts: copies the dom0's ordinary users (uid 1000 to 59999) into the guest, as xen-tools
 * does: their passwd, shadow and primary group entries, and an empty home directory. Users whose
 * name or uid the guest already has are left out.
 */
public final class Dom0Accounts {
    private Dom0Accounts() {
    }

    /** The dom0's own /etc. */
    public static final Path DOM0_ETC = Path.of("/etc");

    /** @return the names of the users copied */
    public static List<String> copy(Path dom0Etc, GuestRoot guestRoot) throws IOException {
        List<String[]> guestUsers = entries(guestRoot, "etc/passwd");
        Set<String> names = new LinkedHashSet<>();
        Set<String> uids = new LinkedHashSet<>();
        guestUsers.forEach(u -> {
            names.add(u[0]);
            uids.add(u[2]);
        });
        Set<String> guestGroups = new LinkedHashSet<>();
        entries(guestRoot, "etc/group").forEach(g -> guestGroups.add(g[0]));
        List<String> passwd = new ArrayList<>();
        List<String> shadow = new ArrayList<>();
        List<String> group = new ArrayList<>();
        List<String[]> homes = new ArrayList<>();
        List<String> copied = new ArrayList<>();
        List<String[]> dom0Groups = entries(dom0Etc.resolve("group"));
        List<String[]> dom0Shadow = Files.isReadable(dom0Etc.resolve("shadow")) ? entries(dom0Etc.resolve("shadow")) : List.of();
        for (String[] u : entries(dom0Etc.resolve("passwd"))) {
            int uid;
            try {
                uid = Integer.parseInt(u[2]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (uid < 1000 || uid >= 60000 || names.contains(u[0]) || uids.contains(u[2])) {
                continue;
            }
            passwd.add(String.join(":", u));
            dom0Shadow.stream().filter(s -> s[0].equals(u[0])).findFirst().ifPresentOrElse(
                    s -> shadow.add(String.join(":", s)), () -> shadow.add(u[0] + ":!:19000:0:99999:7:::"));
            for (String[] g : dom0Groups) {
                if (g[2].equals(u[3]) && guestGroups.add(g[0])) {
                    group.add(g[0] + ":x:" + g[2] + ":");
                }
            }
            homes.add(new String[] {u[5], u[2], u[3]});
            copied.add(u[0]);
        }
        append(guestRoot, "etc/passwd", passwd, "rw-r--r--");
        append(guestRoot, "etc/shadow", shadow, "rw-r-----");
        append(guestRoot, "etc/group", group, "rw-r--r--");
        for (String[] h : homes) {
            if (!h[0].startsWith("/") || h[0].contains("..")) {
                continue;
            }
            String home = h[0].substring(1);
            if (!guestRoot.exists(home)) {
                guestRoot.directory(home);
                guestRoot.chown(home, Integer.parseInt(h[1]), Integer.parseInt(h[2]), "rwx------");
            }
        }
        return copied;
    }

    private static List<String[]> entries(Path file) throws IOException {
        return Files.exists(file) ? parse(dev.jxen.system.BoundedFiles.readLines(file, 16L << 20)) : List.of();
    }

    private static List<String[]> parse(List<String> lines) {
        List<String[]> out = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split(":", -1);
                if (f.length >= 4) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static List<String[]> entries(GuestRoot root, String file) throws IOException {
        return parse(root.readString(file, 16 << 20).map(s -> s.lines().toList()).orElse(List.of()));
    }

    private static void append(GuestRoot root, String file, List<String> lines, String mode) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        root.append(file, String.join("\n", lines) + "\n", mode);
    }
}
