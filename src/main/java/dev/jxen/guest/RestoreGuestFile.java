package dev.jxen.guest;

import dev.jxen.system.CommandRunner;
import dev.jxen.system.Undo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Takes a file of jxen's out of a guest and puts back the guest's own, resolving both inside the
 * guest: also after a crash, when a killed run's guest may have been changed by what ran in it.
 * Nothing happens when the guest is no longer mounted there.
 *
 * @param path relative to the guest's root
 */
public record RestoreGuestFile(Path root, String path, boolean hadOwn) implements Undo {
    public static final String KIND = "guest-file";
    /** The kind an earlier jxen journaled for its policy-rc.d alone. */
    public static final String POLICY_RC_D_KIND = "guest-policy-rc.d";

    public static RestoreGuestFile from(Map<String, String> a) {
        return new RestoreGuestFile(Path.of(a.get("root")), a.getOrDefault("path", "usr/sbin/policy-rc.d"), Boolean.parseBoolean(a.get("had-own")));
    }

    public String kind() {
        return KIND;
    }

    public Map<String, String> args() {
        return Map.of("root", root.toString(), "path", path, "had-own", String.valueOf(hadOwn));
    }

    public String describe() {
        return "restore the guest's /" + path;
    }

    public void run(CommandRunner runner) throws Exception {
        int slash = path.lastIndexOf('/');
        if (path.startsWith("/") || path.contains("..") || !Files.isDirectory(root.resolve(slash < 0 ? "." : path.substring(0, slash)))) {
            return;
        }
        GuestRoot guest = GuestRoot.at(root);
        guest.delete(path);
        String saved = GuestFileAside.savedName(path);
        if (hadOwn && guest.exists(saved)) {
            guest.rename(saved, path);
        }
    }
}
