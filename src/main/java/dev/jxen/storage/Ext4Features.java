package dev.jxen.storage;

import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.LocalCommandRunner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ext4 features jxen turns off so that a guest's own tools read the filesystem the dom0's mke2fs
 * makes. Debian 13's e2fsprogs (1.47.2) turns on {@code orphan_file} by default, and an e2fsck older
 * than 1.47.0 refuses a filesystem with a feature it does not know: a bullseye, buster, focal or jammy
 * guest made on a Debian 13 dom0 would fail the check of its own root at boot. Releases from bookworm
 * and noble on read it; the feature is left as the dom0's mke2fs chooses for them. (The other default
 * new in 1.47.2, {@code metadata_csum_seed}, has been known since e2fsprogs 1.43.)
 */
public final class Ext4Features {
    /** The oldest e2fsprogs of each release (its first point release's). */
    static final Map<String, String> GUEST_E2FSPROGS = Map.ofEntries(
            Map.entry("buster", "1.44.5"), Map.entry("bullseye", "1.46.2"), Map.entry("oldoldstable", "1.46.2"),
            Map.entry("bookworm", "1.47.0"), Map.entry("trixie", "1.47.2"),
            Map.entry("focal", "1.45.5"), Map.entry("jammy", "1.46.5"), Map.entry("noble", "1.47.0"));
    private static final String ORPHAN_FILE_SINCE = "1.47.0";
    private static final Pattern VERSION = Pattern.compile("mke2fs ([0-9]+\\.[0-9]+(?:\\.[0-9]+)?)");
    private static volatile Optional<String> dom0;

    private Ext4Features() {
    }

    /**
     * mke2fs's {@code -O} arguments for a guest of {@code dist} on a dom0 whose mke2fs is
     * {@code dom0Mke2fs}: empty when the guest reads what that mke2fs makes by default. A feature the
     * dom0's mke2fs does not know is never named (it would refuse the whole command).
     */
    static List<String> options(String dist, Optional<String> dom0Mke2fs) {
        String guest = GUEST_E2FSPROGS.get(dist);
        if (guest == null || dom0Mke2fs.isEmpty()) {
            return List.of();
        }
        if (older(guest, ORPHAN_FILE_SINCE) && !older(dom0Mke2fs.get(), ORPHAN_FILE_SINCE)) {
            return List.of("-O", "^orphan_file");
        }
        return List.of();
    }

    /** The same for this dom0, whose mke2fs is asked its version once. */
    public static List<String> options(String dist) {
        return options(dist, dom0Mke2fs());
    }

    static Optional<String> dom0Mke2fs() {
        if (dom0 == null) {
            CommandResult r = new LocalCommandRunner().run(Command.of("mke2fs", "-V").capturing().withTimeout(Duration.ofSeconds(10)), l -> { });
            Matcher m = VERSION.matcher(r.stdout() + String.join("\n", r.tail()));
            dom0 = m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
        return dom0;
    }

    /** Whether version {@code a} is older than {@code b} (dotted numbers). */
    static boolean older(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return p < q;
            }
        }
        return false;
    }
}
