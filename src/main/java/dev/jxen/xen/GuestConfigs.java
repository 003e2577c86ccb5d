package dev.jxen.xen;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The guests' .cfg files in a dom0's directory of them (/etc/xen), by one rule for every command:
 * what xen-tools' xen-list-images lists. List shows them; create and delete read the other guests'
 * to leave their disks alone.
 *
 * @param configs the files read, sorted by name
 * @param skipped the files that could not be read, each with the reason
 */
public record GuestConfigs(List<DomUConfigFile> configs, List<String> skipped) {
    public GuestConfigs {
        configs = List.copyOf(configs);
        skipped = List.copyOf(skipped);
    }

    /** Every guest .cfg in {@code dir} ending in {@code suffix} (an empty one: every file); none when there is no such directory. */
    public static GuestConfigs in(Path dir, String suffix) throws IOException {
        List<DomUConfigFile> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return new GuestConfigs(out, skipped);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> isGuestConfig(p, suffix))) {
            s.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            try {
                out.add(DomUConfigFile.read(f));
            } catch (IOException e) {
                skipped.add(f + ": " + e.getMessage());
            }
        }
        return new GuestConfigs(out, skipped);
    }

    /** The guests' .cfg files but {@code own}. */
    public List<DomUConfigFile> except(Path own) {
        return configs.stream().filter(c -> !c.file().equals(own)).toList();
    }

    /**
     * A file xen-tools' xen-list-images would list: a regular file ending in the suffix, not a backup
     * ({@code ~}), dpkg's leftovers, an .sxp, or xl.conf; nor one of jxen's hidden staging files.
     */
    public static boolean isGuestConfig(Path p, String suffix) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && n.endsWith(suffix) && !n.startsWith(".") && !n.endsWith("~")
                && !n.matches(".*\\.dpkg-[a-z]+") && !n.endsWith(".sxp") && !n.equals("xl.conf");
    }
}
