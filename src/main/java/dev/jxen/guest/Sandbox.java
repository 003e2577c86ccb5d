package dev.jxen.guest;

import dev.jxen.system.Command;
import dev.jxen.system.ToolCheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs commands against a mounted guest (hooks, roles, apt-get inside it) in namespaces of their own,
 * through {@code libexec/jxen-sandbox}: the guest's proc, sys, dev and tmp are mounted there and
 * vanish with the command, as does every process it leaves running. An untrusted guest's commands
 * also see the dom0 read-only and lose the capabilities that reach past a chroot.
 *
 * @param proc the guest's /proc (and sys, dev, tmp): real directories under the root
 */
public record Sandbox(Policy policy, GuestRoot root, Path proc, Path sys, Path dev, Path tmp) {

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
     * @param script the jxen-sandbox script
     * @param trust  whether the guest's files were written by jxen from a signed mirror, or by someone else
     * @param masks  dom0 paths an untrusted guest's commands must not see (the storage of other guests)
     * @param work   where jxen mounts guests: the other guests mounted there are detached from the
     *               command's namespace as it starts, so that it never keeps another run's filesystem
     *               alive after that run has unmounted it
     */
    public record Policy(Path script, Trust trust, List<Path> masks, Path work) {
        public Policy {
            masks = List.copyOf(masks);
        }
    }

    /** Resolves the guest's proc, sys, dev and tmp inside it (made where missing), ready for {@link #wrap}. */
    public static Sandbox prepare(Policy policy, GuestRoot root) throws IOException {
        return new Sandbox(policy, root, plumbing(root, "proc"), plumbing(root, "sys"), plumbing(root, "dev"), plumbing(root, "tmp"));
    }

    /**
     * The guest's own directory {@code name} right under its root. Linked elsewhere, even inside the
     * guest, these mounts could land on one another, so a link or a file there is refused.
     */
    private static Path plumbing(GuestRoot root, String name) throws IOException {
        Path p = root.path().resolve(name);
        if (Files.isSymbolicLink(p)) {
            throw new GuestRoot.GuestPathException(name, "is a link to " + Files.readSymbolicLink(p)
                    + "; jxen mounts the guest's proc, sys, dev and tmp only on directories of their own (repair the guest by hand)");
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new GuestRoot.GuestPathException(name, "is not a directory; jxen mounts the guest's proc, sys, dev and tmp only on directories");
        }
        return root.directory(name);
    }

    public static void requireTools() {
        ToolCheck.require("unshare", "to run hooks, roles and commands in the guest in namespaces of their own");
        ToolCheck.require("setpriv", "to take capabilities away from commands run in an untrusted guest");
    }

    /** The same command, run in the sandbox. */
    public Command wrap(Command c) {
        return new Command(sandboxed(List.of(), c.argv()), c.env(), c.stdin(), c.cwd(), c.label(), c.captureOutput());
    }

    /**
     * One sandbox that runs each of {@code programs} with {@code arg} in turn until one fails, printing
     * {@link #eachMarker} of each before it starts (the hooks, as xen-tools' run-parts runs them).
     *
     * @param marker letters and digits that no program can guess, which make the markers jxen's own
     */
    public Command wrapEach(List<String> programs, String arg, String marker, java.util.Map<String, String> env, String label) {
        if (!marker.matches("[0-9A-Za-z]+")) {
            throw new IllegalArgumentException("marker " + marker);
        }
        return new Command(sandboxed(List.of("--each", arg, "--marker", marker), programs), env, null, null, label, false);
    }

    /** The line the sandbox prints before the {@code n}th program (from 0) of {@link #wrapEach} starts. */
    public static String eachMarker(String marker, int n) {
        return "jxen-sandbox " + marker + " " + n;
    }

    private List<String> sandboxed(List<String> mode, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--pid", "--fork",
                "--kill-child", "--mount-proc", "--ipc", "--uts", "--", "/bin/sh", policy.script().toString()));
        if (policy.trust() == Trust.UNTRUSTED) {
            argv.add("--untrusted");
        }
        argv.addAll(List.of("--work", policy.work().toString(), "--root", root.path().toString(), "--proc", proc.toString(), "--sys", sys.toString(),
                "--dev", dev.toString(), "--tmp", tmp.toString()));
        for (Path m : policy.masks()) {
            argv.addAll(List.of("--mask", m.toString()));
        }
        argv.addAll(mode);
        argv.add("--");
        argv.addAll(command);
        return argv;
    }

    /** {@code chroot ROOT argv...} in the sandbox. */
    public Command inGuest(Command c) {
        return wrap(c.inChroot(root.path()));
    }
}
