package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.system.Command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** debootstrap, as xen-tools runs it (or --debootstrap-cmd), with downloaded .debs kept in --cachedir. */
public final class DebootstrapInstaller implements Installer {
    private final String version;

    public DebootstrapInstaller(String version) {
        this.version = version;
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
        if (in.debCache()) {
            argv.add("--cache-dir=" + in.debCacheDir());
        }
        argv.add(in.dist());
        argv.add(root.toString());
        argv.add(in.mirror().orElseThrow());
        return List.of(Command.of(argv).withEnv(env).withLabel("debootstrap"));
    }
}
