package dev.jxen.config;

import dev.jxen.config.ImageSpec.Target;
import dev.jxen.config.StorageTarget.Dir;
import dev.jxen.config.StorageTarget.ImageDev;
import dev.jxen.config.StorageTarget.Lvm;
import dev.jxen.config.StorageTarget.Zpool;
import dev.jxen.error.InvalidInputException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@link StorageTarget} from the configuration's layers, by create's rule, and checks its value. */
final class StorageTargetReader {
    private StorageTargetReader() {
    }

    static final Pattern VG = Pattern.compile("[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}");
    private static final Pattern ZPOOL = Pattern.compile("[A-Za-z][A-Za-z0-9_.:/-]{0,200}");
    private static final Set<String> KEYS = Set.of("dir", "lvm", "zpool", "evms", "image-dev");

    /**
     * The target these layers name, for a companion command; empty when none does (the guest's .cfg
     * names its disks).
     *
     * @throws InvalidInputException when a layer names two, or a value is not one
     */
    static Optional<StorageTarget> of(ConfigLayers layers) {
        SettingReader r = new SettingReader(layers);
        Optional<StorageTarget> t = read(r);
        if (!r.problems().isEmpty()) {
            throw new InvalidInputException(r.problems());
        }
        return t;
    }

    /** True when some layer names a target. */
    static boolean named(SettingReader r) {
        return r.layers().layers().stream().anyMatch(l -> KEYS.stream().anyMatch(k -> SettingReader.nonEmpty(l.values().get(k))));
    }

    /** The target, or empty when none is named or the one named is refused; the problems go to the reader. */
    static Optional<StorageTarget> read(SettingReader r) {
        Optional<ConfigLayer> deciding = r.layers().layers().stream()
                .filter(l -> KEYS.stream().anyMatch(k -> SettingReader.nonEmpty(l.values().get(k))))
                .reduce((a, b) -> b);
        if (deciding.isEmpty()) {
            return Optional.empty();
        }
        List<String> set = KEYS.stream().filter(k -> SettingReader.nonEmpty(deciding.get().values().get(k))).sorted().toList();
        if (set.size() > 1) {
            r.problem(deciding.get().name() + " sets " + String.join(" and ", set.stream().map(k -> "--" + k).toList())
                    + "; give exactly one storage target");
            return Optional.empty();
        }
        String key = set.get(0);
        String location = r.text(key).orElseThrow();
        switch (key) {
            case "dir" -> {
                if (!SettingReader.isSafeAbsolutePath(location)) {
                    r.problem(r.where("dir") + ": must be an absolute path without '..' or control characters");
                }
                return Optional.of(new Dir(Path.of(location)));
            }
            case "lvm" -> {
                if (!VG.matcher(location).matches() || location.startsWith("-")) {
                    r.problem(r.where("lvm") + ": not a volume group name (letters, digits, '+_.-', not starting with '-')");
                }
                return Optional.of(new Lvm(location));
            }
            case "zpool" -> {
                if (!ZPOOL.matcher(location).matches()) {
                    r.problem(r.where("zpool") + ": not a ZFS pool or dataset name");
                }
                return Optional.of(new Zpool(location));
            }
            case "image-dev" -> {
                r.checkBlockDevice("image-dev");
                return Optional.of(new ImageDev(location));
            }
            default -> {
                r.problem(r.where("evms") + ": EVMS is not supported: it is gone from Linux (since 2.6.31); use --lvm VG for logical volumes");
                return Optional.empty();
            }
        }
    }
}
