package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.system.Command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * debootstrap, as xen-tools runs it (or --debootstrap-cmd), with downloaded .debs kept in --cachedir.
 * A release newer than the dom0's debootstrap knows (forky on a bookworm dom0) is installed with the
 * script its family's releases share (Debian's sid, Ubuntu's gutsy), as debootstrap's own links do.
 */
public final class DebootstrapInstaller implements Installer {
    private static final Path SCRIPTS = Path.of("/usr/share/debootstrap/scripts");
    private final String version;
    private final Path scripts;

    public DebootstrapInstaller(String version) {
        this(version, SCRIPTS);
    }

    DebootstrapInstaller(String version, Path scripts) {
        this.version = version;
        this.scripts = scripts;
    }

    /** The script to name for a release debootstrap has none for; empty when it has one, or runs as --debootstrap-cmd. */
    Optional<Path> fallbackScript(ImageSpec spec) {
        var in = spec.install();
        if (in.installer() != null || Files.exists(scripts.resolve(in.dist()))) {
            return Optional.empty();
        }
        return Optional.of(scripts.resolve(in.family().equals("ubuntu") ? "gutsy" : "sid"));
    }

    @Override
    public List<String> notes(ImageSpec spec) {
        return fallbackScript(spec).map(s -> List.of("debootstrap " + version + " has no script for " + spec.install().dist()
                + "; installing it with debootstrap's " + s.getFileName() + " script, which its family's releases share")).orElse(List.of());
    }

    public static String command(ImageSpec spec) {
        return spec.install().installer() != null ? spec.install().installer() : "debootstrap";
    }

    @Override
    public String identity() {
        return "debootstrap " + version;
    }

    @Override
    public List<Command> commands(ImageSpec spec, Path root, Map<String, String> env) {
        var in = spec.install();
        List<String> argv = new ArrayList<>(List.of(command(spec), "--arch=" + in.arch()));
        if (in.keyring() != null) {
            argv.add("--keyring=" + in.keyring());
        }
        if (!in.extraPackages().isEmpty()) {
            argv.add("--include=" + String.join(",", in.extraPackages()));
        }
        if (in.caches().debs()) {
            argv.add("--cache-dir=" + in.caches().debDir());
        }
        argv.add(in.dist());
        argv.add(root.toString());
        argv.add(in.mirror().orElseThrow());
        fallbackScript(spec).ifPresent(s -> argv.add(s.toString()));
        return List.of(Command.of(argv).withEnv(env).withLabel("debootstrap"));
    }
}
