package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.system.Command;
import dev.jxen.system.ShellQuote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mmdebstrap: the same base system as debootstrap, about twice as fast. It does not keep .debs in
 * --cachedir; the base-tree cache makes that moot.
 */
public final class MmdebstrapInstaller implements Installer {
    /**
     * mmdebstrap's own hook that merges /usr as debootstrap does, with usr-is-merged, where the release
     * has that package: without it apt satisfies init-system-helpers with usrmerge, which brings perl.
     */
    static final Path MERGED_USR_HOOK = Path.of("/usr/share/mmdebstrap/hooks/maybe-merged-usr");

    private final String version;
    private final Path prefetch;

    /**
     * @param prefetch jxen's {@code libexec/jxen-mmdebstrap-prefetch}, whose hooks download the packages
     *                 of mmdebstrap's second step while it installs the first; null to leave them out
     */
    public MmdebstrapInstaller(String version, Path prefetch) {
        this.version = version;
        this.prefetch = prefetch;
    }

    @Override
    public String identity() {
        return "mmdebstrap " + version;
    }

    @Override
    public List<Command> commands(ImageSpec spec, Path root, Map<String, String> env) {
        var in = spec.install();
        // The package lists stay, as debootstrap leaves them: roles and hooks install packages without an
        // update first. The target is the guest's own fresh filesystems, whose root holds the mount points
        // of its other partitions (usr, var, home), which mmdebstrap's emptiness check would refuse.
        List<String> argv = new ArrayList<>(List.of("mmdebstrap", "--mode=root", "--variant=important", "--skip=cleanup/apt/lists",
                "--skip=check/empty", "--arch=" + in.arch()));
        if (prefetch != null && Files.isExecutable(prefetch)) {
            // before the merged-usr hook's essential hook, which runs apt as well; mmdebstrap runs a hook with sh -c
            String script = ShellQuote.quote(prefetch.toString());
            argv.add("--extract-hook=" + script + " start \"$1\" " + ShellQuote.quote(in.dist()) + " " + ShellQuote.quote(in.arch()));
            argv.add("--essential-hook=" + script + " wait \"$1\"");
        }
        if (Files.isDirectory(MERGED_USR_HOOK)) {
            argv.add("--hook-dir=" + MERGED_USR_HOOK);
        }
        if (in.keyring() != null) {
            argv.add("--keyring=" + in.keyring());
        }
        if (!in.extraPackages().isEmpty()) {
            argv.add("--include=" + String.join(",", in.extraPackages()));
        }
        argv.add(in.dist());
        argv.add(root.toString());
        argv.add(in.mirror().orElseThrow());
        return List.of(Command.of(argv).withEnv(env).withLabel("mmdebstrap"));
    }
}
