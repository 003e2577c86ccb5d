package dev.jxen.guest;

import dev.jxen.system.Command;
import dev.jxen.system.ToolCheck;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the commands jxen runs against a mounted guest run: hooks and roles (dom0 scripts that work
 * on the guest) and the guest's own programs (apt-get on an update).
 *
 * <p>On a guest jxen has just installed from the signed archive ({@link Trust#FRESH}), in mount, PID,
 * IPC and UTS namespaces of their own ({@code libexec/jxen-sandbox}), with the guest's proc, sys, a
 * minimal dev and a private tmp, and the dom0 as it is: xen-tools' hooks may change the dom0.
 *
 * <p>On any other guest ({@link Trust#UNTRUSTED}: one that has run, a copy or tar source, the disks of
 * {@code --install=0}), in bubblewrap ({@link Bubblewrap}) inside a network namespace of its own whose
 * only way out, if any, is jxen's mirror proxy ({@code libexec/jxen-jail}), under a seccomp filter
 * ({@link SyscallFilter}): a guest's program runs with the guest as its root; a hook or role sees the
 * dom0's programs read-only and the guest, and nothing else of the dom0.
 *
 * @param proc the guest's /proc (and sys, dev, tmp): real directories under the root
 * @param jail the run's sandbox files, for an untrusted guest; null for a fresh one
 */
public record Sandbox(Policy policy, GuestRoot root, Path proc, Path sys, Path dev, Path tmp, Jail jail) {

    /** Who wrote the guest's files. */
    public enum Trust {
        /** installed by jxen just now, from the mirror or its own cache: nothing in it points at the dom0 */
        FRESH,
        /** a guest that has run, or a tree jxen did not install (--install-method copy or tar, --install=0) */
        UNTRUSTED
    }

    /**
     * How commands run in a guest.
     *
     * @param script   the jxen-sandbox script (a fresh guest)
     * @param jailer   the jxen-jail script (an untrusted guest)
     * @param hookLib  the shell functions hooks and roles source, bound into an untrusted guest's sandbox
     * @param trust    whether the guest's files were written by jxen from a signed mirror, or by someone else
     * @param work     where jxen mounts guests: the other guests mounted there are detached from a fresh
     *                 guest's namespace as it starts, so that it never keeps another run's filesystem
     *                 alive after that run has unmounted it; the untrusted sandboxes' files live there too
     * @param hostname the guest's name: the host name its sandbox sees
     * @param mirrors  the mirrors an untrusted guest's sandbox may fetch from; none: no network at all
     * @param aptProxy the dom0's apt proxy, through which jxen fetches for the guest
     */
    public record Policy(Path script, Path jailer, Path hookLib, Trust trust, Path work, String hostname, List<URI> mirrors,
                         Optional<String> aptProxy) {
        public Policy {
            mirrors = List.copyOf(mirrors);
            if (!hostname.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,252}")) {
                throw new IllegalArgumentException("not a host name: " + hostname);
            }
        }

        /** The same sandbox with no network at all: for a command that fetches nothing. */
        public Policy offline() {
            return new Policy(script, jailer, hookLib, trust, work, hostname, List.of(), Optional.empty());
        }
    }

    /** Resolves the guest's proc, sys, dev and tmp inside it (made where missing), ready for {@link #wrap}. */
    public static Sandbox prepare(Policy policy, GuestRoot root, Jail jail) throws IOException {
        if (policy.trust() == Trust.UNTRUSTED && jail == null) {
            throw new IllegalArgumentException("an untrusted guest's sandbox needs its jail");
        }
        if (policy.trust() == Trust.UNTRUSTED) {
            plumbing(root, "run");
        }
        return new Sandbox(policy, root, plumbing(root, "proc"), plumbing(root, "sys"), plumbing(root, "dev"), plumbing(root, "tmp"),
                policy.trust() == Trust.UNTRUSTED ? jail : null);
    }

    /**
     * The guest's own directory {@code name} right under its root. Linked elsewhere, even inside the
     * guest, these mounts could land on one another, so a link or a file there is refused.
     */
    private static Path plumbing(GuestRoot root, String name) throws IOException {
        Path p = root.path().resolve(name);
        if (Files.isSymbolicLink(p)) {
            throw new GuestRoot.GuestPathException(name, "is a link to " + Files.readSymbolicLink(p)
                    + "; jxen mounts the guest's proc, sys, dev, tmp and run only on directories of their own (repair the guest by hand)");
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new GuestRoot.GuestPathException(name, "is not a directory; jxen mounts the guest's proc, sys, dev, tmp and run only on directories");
        }
        return root.directory(name);
    }

    public static void requireTools(Trust trust) {
        if (trust == Trust.FRESH) {
            ToolCheck.require("unshare", "to run hooks, roles and commands in the guest in namespaces of their own");
            return;
        }
        ToolCheck.require("bwrap", "to run an untrusted guest's code in a sandbox (apt-get install bubblewrap)");
        ToolCheck.require("unshare", "to give an untrusted guest's sandbox a network namespace of its own");
        ToolCheck.require("setpriv", "to bound the capabilities of an untrusted guest's sandbox");
        ToolCheck.require("ip", "to bring up the loopback interface of an untrusted guest's sandbox (apt-get install iproute2)");
        ToolCheck.require("socat", "to relay an untrusted guest's apt to jxen's mirror proxy (apt-get install socat)");
        if (!System.getProperty("os.arch").equals("amd64")) {
            throw new dev.jxen.error.HostStateException("an untrusted guest's code runs only under jxen's seccomp filter, which knows the x86_64 "
                    + "and i386 system calls; this dom0 is " + System.getProperty("os.arch"),
                    "update such guests on an x86_64 dom0, or from inside the running guest with its own apt");
        }
    }

    /** What a dry run says about where the commands run. */
    public static String describe(Policy policy) {
        if (policy.trust() == Trust.FRESH) {
            return "in namespaces made for them, with the guest's proc, sys, a minimal /dev and a private /tmp";
        }
        return "in bubblewrap, the guest untrusted: its own programs with the guest as their root, hooks and roles with only the dom0's programs "
                + "read-only beside the guest; no capability to leave, a seccomp filter, private PID, IPC, UTS and network namespaces, "
                + (policy.mirrors().isEmpty() ? "no network" : "the network only to " + policy.mirrors() + " through jxen");
    }

    /**
     * A dom0 script (a role) that works on the guest, run in the sandbox.
     *
     * @param named dom0 files the command line names (a role's arguments that are files, such as key
     *              files): bound read-only into an untrusted guest's sandbox at their own paths
     */
    public Command wrap(Command c, List<Path> named) throws IOException {
        if (policy.trust() == Trust.FRESH) {
            return c.withArgv(namespaces(List.of(), c.argv()));
        }
        List<Path> files = new ArrayList<>(List.of(Path.of(c.argv().get(0))));
        files.addAll(named);
        return jailed(c, true, Bubblewrap.dom0ToolsOverGuest(root.path(), scripts(files), policy.hostname(), c.argv()));
    }

    /**
     * One sandbox that runs each of {@code programs} with {@code arg} in turn until one fails, printing
     * {@link #eachMarker} of each before it starts (the hooks, as xen-tools' run-parts runs them).
     *
     * @param marker letters and digits that no program can guess, which make the markers jxen's own
     */
    public Command wrapEach(List<String> programs, String arg, String marker, Map<String, String> env, String label) throws IOException {
        if (!marker.matches("[0-9A-Za-z]+")) {
            throw new IllegalArgumentException("marker " + marker);
        }
        Command c = new Command(programs, env, null, null, label, false);
        if (policy.trust() == Trust.FRESH) {
            return c.withArgv(namespaces(List.of("--each", arg, "--marker", marker), programs));
        }
        List<String> loop = new ArrayList<>(List.of("/bin/sh", "-c", EACH, "jxen-sandbox-each", marker, arg));
        loop.addAll(programs);
        return jailed(c, true, Bubblewrap.dom0ToolsOverGuest(root.path(), scripts(programs.stream().map(Path::of).toList()), policy.hostname(), loop));
    }

    /** The loop of {@link #wrapEach}, as jxen-sandbox runs it for a fresh guest. */
    private static final String EACH = "marker=$1 arg=$2; shift 2; n=0\nfor program; do\n    echo \"jxen-sandbox $marker $n\"\n"
            + "    \"$program\" \"$arg\" || exit $?\n    n=$((n + 1))\ndone";

    /** The line the sandbox prints before the {@code n}th program (from 0) of {@link #wrapEach} starts. */
    public static String eachMarker(String marker, int n) {
        return "jxen-sandbox " + marker + " " + n;
    }

    /** One of the guest's own programs ({@code argv} as the guest resolves it), run in the sandbox. */
    public Command inGuest(Command c) throws IOException {
        if (policy.trust() == Trust.FRESH) {
            Command chrooted = c.inChroot(root.path());
            return chrooted.withArgv(namespaces(List.of(), chrooted.argv()));
        }
        return jailed(c, false, Bubblewrap.guestAsRoot(root.path(), policy.hostname(), c.argv()));
    }

    private List<Path> scripts(List<Path> programs) {
        List<Path> s = new ArrayList<>(programs);
        if (Files.isRegularFile(policy.hookLib())) {
            s.add(policy.hookLib());
        }
        return s;
    }

    /** {@code unshare --net jxen-jail ... bwrap ...}, the command's environment given to the sandbox whole. */
    private Command jailed(Command c, boolean hook, List<String> bwrapArgs) {
        List<String> argv = new ArrayList<>(List.of("unshare", "--net", "--", "/bin/sh", policy.jailer().toString(),
                "--filter", (hook ? jail.hookFilter() : jail.guestFilter()).toString(), "--info", jail.nextInfo().toString()));
        if (!policy.mirrors().isEmpty()) {
            argv.addAll(List.of("--channel", jail.channel().toString()));
        }
        argv.add("--");
        argv.addAll(bwrapArgs);
        Map<String, String> env = new LinkedHashMap<>(c.env());
        env.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.putIfAbsent("HOME", "/root");
        env.putIfAbsent("LC_ALL", "C.UTF-8");
        return c.replacing(argv, env);
    }

    private List<String> namespaces(List<String> mode, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--pid", "--fork",
                "--kill-child", "--mount-proc", "--ipc", "--uts", "--", "/bin/sh", policy.script().toString()));
        argv.addAll(List.of("--work", policy.work().toString(), "--root", root.path().toString(), "--proc", proc.toString(), "--sys", sys.toString(),
                "--dev", dev.toString(), "--tmp", tmp.toString()));
        argv.addAll(mode);
        argv.add("--");
        argv.addAll(command);
        return argv;
    }
}
