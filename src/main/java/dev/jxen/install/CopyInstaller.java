package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.system.Command;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Copies --install-source, a directory holding a root filesystem, keeping owners, modes, links and xattrs. */
public final class CopyInstaller implements Installer {
    @Override
    public String identity() {
        return "copy";
    }

    @Override
    public boolean cacheable() {
        return false;
    }

    @Override
    public List<Command> commands(ImageSpec spec, Path root, Map<String, String> env) {
        String src = spec.install().source().replaceAll("/+$", "") + "/.";
        return List.of(Command.of("cp", "--archive", "--one-file-system", src, root.toString()));
    }
}
