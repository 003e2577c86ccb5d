package dev.jxen.guest;

import dev.jxen.system.CommandRunner;
import dev.jxen.system.Undo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Takes jxen's policy-rc.d out of a guest and puts back the guest's own, resolving both inside the
 * guest: also after a crash, when a killed run's guest may have been changed by what ran in it.
 * Nothing happens when the guest is no longer mounted there.
 */
public record RestorePolicyRcD(Path root, boolean hadOwn) implements Undo {
    public static final String KIND = "guest-policy-rc.d";

    public static RestorePolicyRcD from(Map<String, String> a) {
        return new RestorePolicyRcD(Path.of(a.get("root")), Boolean.parseBoolean(a.get("had-own")));
    }

    public String kind() {
        return KIND;
    }

    public Map<String, String> args() {
        return Map.of("root", root.toString(), "had-own", String.valueOf(hadOwn));
    }

    public String describe() {
        return "restore the guest's /usr/sbin/policy-rc.d";
    }

    public void run(CommandRunner runner) throws Exception {
        if (!Files.isDirectory(root.resolve("usr/sbin"))) {
            return;
        }
        GuestRoot guest = GuestRoot.at(root);
        guest.delete(NoDaemons.PATH);
        if (hadOwn && guest.exists(NoDaemons.SAVED)) {
            guest.rename(NoDaemons.SAVED, NoDaemons.PATH);
        }
    }
}
