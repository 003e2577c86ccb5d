package dev.jxen.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * bubblewrap's arguments for the two shapes of an untrusted guest's sandbox. Both have private PID,
 * IPC, UTS and cgroup namespaces (the network one is made by {@code libexec/jxen-jail}), a new proc
 * with its kernel tunables read-only and its riskier files masked, a minimal /dev, a private /tmp, a
 * new session (no terminal to push keystrokes into) and only the capabilities below. The environment
 * is the one bubblewrap is started with, which the sandbox gives whole ({@link dev.jxen.system.Command#replacing}):
 * no value travels on a command line.
 *
 * <ul>
 * <li>{@link #guestAsRoot}: the guest's own programs (apt-get, dpkg and the maintainer scripts of an
 * update) with the guest's tree as their root, bubblewrap's pivot_root: no path of the dom0 exists
 * there at all.</li>
 * <li>{@link #dom0ToolsOverGuest}: a hook or role, which is a dom0 script that works on the guest
 * through {@code chroot "$1"}: its root is an empty tmpfs with the dom0's programs and libraries
 * ({@code /usr} and its links), a few named files of {@code /etc} and the script itself, all
 * read-only, and the guest at its own path, writable. A guest's program that leaves its chroot finds
 * that, and nothing else of the dom0.</li>
 * </ul>
 */
public final class Bubblewrap {
    /**
     * What a guest's package manager needs of root: owners, modes, set-id bits, users to switch to,
     * signals, file capabilities (setcap in a postinst). Not CAP_SETPCAP: with it, a process could put
     * what is left in the bounding set into its inheritable set.
     */
    static final List<String> GUEST_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_NET_BIND_SERVICE");
    /** A hook also enters the guest with chroot. */
    static final List<String> HOOK_CAPABILITIES = plus(GUEST_CAPABILITIES, "CAP_SYS_CHROOT");

    /** The dom0's files under /etc that a hook's shell tools need, and nothing secret. */
    static final List<String> DOM0_ETC = List.of("/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
            "/etc/nsswitch.conf", "/etc/passwd", "/etc/group", "/etc/localtime", "/etc/timezone", "/etc/debian_version",
            "/etc/os-release", "/etc/locale.gen", "/etc/default/locale", "/etc/mime.types");
    /** The top-level directories the dom0's programs and libraries live in (links on a merged /usr). */
    static final List<String> DOM0_PROGRAMS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

    /** proc files that tell about or reach the whole machine; masked with /dev/null or an empty directory. */
    static final List<String> PROC_MASKED_FILES = List.of("kcore", "keys", "key-users", "timer_list", "sched_debug", "latency_stats",
            "kallsyms", "kmsg", "kpagecount", "kpageflags", "kpagecgroup", "config.gz", "sysrq-trigger", "timer_stats");
    static final List<String> PROC_MASKED_DIRS = List.of("acpi", "scsi", "driver", "fs", "irq", "bus", "asound");

    private Bubblewrap() {
    }

    private static List<String> plus(List<String> l, String more) {
        List<String> out = new ArrayList<>(l);
        out.add(more);
        return List.copyOf(out);
    }

    /**
     * A guest's own command, with the guest as /.
     *
     * @param root     the guest's root on the dom0 (a mount point; its own mounts come along)
     * @param hostname the name the sandbox's UTS namespace gives
     */
    public static List<String> guestAsRoot(Path root, String hostname, List<String> command) {
        List<String> a = new ArrayList<>();
        a.addAll(List.of("--bind", root.toString(), "/"));
        proc(a, "/proc");
        devAndTmp(a, "");
        a.addAll(List.of("--tmpfs", "/run", "--perms", "1777", "--dir", "/run/lock"));
        common(a, hostname, GUEST_CAPABILITIES);
        a.add("--");
        a.addAll(command);
        return a;
    }

    /**
     * A dom0 script (hook or role) that works on the guest at {@code root}, with the dom0's programs.
     *
     * @param scripts the files the command runs or sources (bound read-only at their own paths)
     */
    public static List<String> dom0ToolsOverGuest(Path root, List<Path> scripts, String hostname, List<String> command)
            throws IOException {
        List<String> a = new ArrayList<>();
        for (String d : DOM0_PROGRAMS) {
            Path p = Path.of(d);
            if (Files.isSymbolicLink(p)) {
                a.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), d));
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                a.addAll(List.of("--ro-bind", d, d));
            }
        }
        for (String e : DOM0_ETC) {
            a.addAll(List.of("--ro-bind-try", e, e));
        }
        proc(a, "/proc");
        devAndTmp(a, "");
        String r = root.toString();
        a.addAll(List.of("--bind", r, r));
        proc(a, r + "/proc");
        devAndTmp(a, r);
        // last, so that no mount above (a /tmp) hides them
        for (Path s : scripts) {
            Path real = s.toRealPath();
            a.addAll(List.of("--ro-bind", real.toString(), s.toAbsolutePath().normalize().toString()));
        }
        common(a, hostname, HOOK_CAPABILITIES);
        a.add("--");
        a.addAll(command);
        return a;
    }

    /** A new proc for the sandbox's PID namespace, its tunables read-only, its machine-wide files masked. */
    private static void proc(List<String> a, String at) {
        a.addAll(List.of("--proc", at, "--ro-bind", "/proc/sys", at + "/sys"));
        for (String f : PROC_MASKED_FILES) {
            if (Files.exists(Path.of("/proc", f))) {
                a.addAll(List.of("--ro-bind", "/dev/null", at + "/" + f));
            }
        }
        for (String d : PROC_MASKED_DIRS) {
            if (Files.isDirectory(Path.of("/proc", d))) {
                a.addAll(List.of("--tmpfs", at + "/" + d, "--remount-ro", at + "/" + d));
            }
        }
    }

    /** A minimal /dev with a shared-memory directory every user can write, and a private /tmp, under {@code at}. */
    private static void devAndTmp(List<String> a, String at) {
        a.addAll(List.of("--dev", at + "/dev", "--perms", "1777", "--tmpfs", at + "/dev/shm", "--perms", "1777", "--tmpfs", at + "/tmp"));
    }

    private static void common(List<String> a, String hostname, List<String> caps) {
        a.addAll(List.of("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", hostname,
                "--die-with-parent", "--new-session", "--cap-drop", "ALL"));
        for (String c : caps) {
            a.addAll(List.of("--cap-add", c));
        }
        a.addAll(List.of("--chdir", "/"));
    }
}
