package dev.jxen.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** The packages a guest's dpkg counts as installed, read from its {@code /var/lib/dpkg/status}. */
final class DpkgStatus {
    private DpkgStatus() {
    }

    static Set<String> installed(Path guestRoot) throws Exception {
        Set<String> out = new TreeSet<>();
        for (String stanza : Files.readString(guestRoot.resolve("var/lib/dpkg/status")).split("\n\n")) {
            String name = null;
            boolean installed = false;
            for (String line : stanza.split("\n")) {
                if (line.startsWith("Package: ")) {
                    name = line.substring(9).strip();
                } else if (line.startsWith("Status: ")) {
                    installed = line.strip().endsWith(" installed");
                }
            }
            if (name != null && installed) {
                out.add(name);
            }
        }
        return out;
    }
}
