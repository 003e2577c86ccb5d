package dev.jxen.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where jxen finds and keeps things on the dom0, built once when a command starts and passed down.
 * Tests point each at a scratch location with the environment variable named beside it.
 *
 * @param workDir         guests are mounted under it while being built ({@code JXEN_WORK_DIR}, /run/jxen)
 * @param lockDir         per-guest locks ({@code JXEN_LOCK_DIR}, /run/lock/jxen)
 * @param stateDir        what each run holds, for recovery after a crash ({@code JXEN_STATE_DIR}, /var/lib/jxen/runs)
 * @param aptDir          the dom0's apt configuration ({@code JXEN_APT_DIR}, /etc/apt)
 * @param dom0Hosts       the dom0's hosts file ({@code JXEN_DOM0_HOSTS}, /etc/hosts)
 * @param dom0Etc         where the dom0's time zone and locale settings are, which guests inherit: localtime,
 *                        timezone, locale.gen, default/locale ({@code JXEN_DOM0_ETC}, /etc)
 * @param hypervisorType  says whether this machine runs on Xen ({@code JXEN_HYPERVISOR_TYPE}, /sys/hypervisor/type)
 * @param xl              the xl tool ({@code JXEN_XL}; else Debian's real xl under /usr/lib/xen-*, else xl on PATH)
 * @param grubXenDir      the pvgrub2 images of grub-xen-host ({@code JXEN_GRUB_XEN_DIR}, /usr/lib/grub-xen)
 * @param installerCache  the Debian Installer's verified kernels and initrds, by SHA-256 ({@code JXEN_INSTALLER_CACHE}, /var/cache/jxen/installer)
 * @param installerFiles  a run's installer files: its initrd with the preseed, the install-time .cfg, the host keys
 *                        until the preseed carries them ({@code JXEN_INSTALLER_FILES}, /var/lib/jxen/installer)
 * @param faultAfterStage a stage after which a run fails on purpose, for tests ({@code JXEN_FAULT_AFTER_STAGE}), or null
 */
public record Dom0Paths(Path workDir, Path lockDir, Path stateDir, Path aptDir, Path dom0Hosts, Path dom0Etc, Path hypervisorType, String xl,
                        Path grubXenDir, Path installerCache, Path installerFiles, String faultAfterStage) {
    private static final Pattern XEN_LIB = Pattern.compile("xen-(\\d{1,3})\\.(\\d{1,3})");

    public static Dom0Paths fromEnvironment() {
        return from(System.getenv());
    }

    public static Dom0Paths from(Map<String, String> env) {
        return new Dom0Paths(path(env, "JXEN_WORK_DIR", "/run/jxen"), path(env, "JXEN_LOCK_DIR", "/run/lock/jxen"),
                path(env, "JXEN_STATE_DIR", "/var/lib/jxen/runs"), path(env, "JXEN_APT_DIR", "/etc/apt"),
                path(env, "JXEN_DOM0_HOSTS", "/etc/hosts"), path(env, "JXEN_DOM0_ETC", "/etc"), path(env, "JXEN_HYPERVISOR_TYPE", "/sys/hypervisor/type"),
                env.getOrDefault("JXEN_XL", debianXl()), path(env, "JXEN_GRUB_XEN_DIR", "/usr/lib/grub-xen"),
                path(env, "JXEN_INSTALLER_CACHE", "/var/cache/jxen/installer"), path(env, "JXEN_INSTALLER_FILES", "/var/lib/jxen/installer"),
                env.get("JXEN_FAULT_AFTER_STAGE"));
    }

    private static Path path(Map<String, String> env, String name, String dflt) {
        String v = env.get(name);
        return Path.of(v != null && !v.isBlank() ? v : dflt);
    }

    /** The newest Release date jxen has seen of each mirror's suite: beside the run journals, as state that must outlive a cache. */
    public Path releaseDates() {
        return stateDir.resolveSibling("releases");
    }

    /**
     * Debian's /usr/sbin/xl is a wrapper that wants /sys/hypervisor; the real tool lives under
     * /usr/lib/xen-VERSION (4.17 on Debian 12, 4.20 on 13): the newest there, else xl from PATH.
     */
    private static String debianXl() {
        return newestXenBin(Path.of("/usr/lib")).map(bin -> bin.resolve("xl").toString()).orElse("xl");
    }

    /** The bin directory of the newest /usr/lib/xen-MAJOR.MINOR that has an executable xl. */
    static Optional<Path> newestXenBin(Path lib) {
        try (var dirs = Files.list(lib)) {
            return dirs.filter(d -> XEN_LIB.matcher(d.getFileName().toString()).matches())
                    .filter(d -> Files.isExecutable(d.resolve("bin/xl")))
                    .max(Comparator.comparingInt((Path d) -> version(d, 1)).thenComparingInt(d -> version(d, 2)))
                    .map(d -> d.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int version(Path dir, int group) {
        Matcher m = XEN_LIB.matcher(dir.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(group)) : -1;
    }
}
