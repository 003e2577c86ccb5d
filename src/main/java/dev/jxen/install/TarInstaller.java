package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.system.Command;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Unpacks --install-source, a tarball of a root filesystem, with numeric owners and xattrs. */
public final class TarInstaller implements Installer {
    @Override
    public String identity() {
        return "tar";
    }

    @Override
    public boolean cacheable() {
        return false;
    }

    @Override
    public List<Command> commands(ImageSpec spec, Path root, Map<String, String> env) {
        return List.of(Command.of("tar", "--extract", "--numeric-owner", "--xattrs", "--xattrs-include=*", "--acls",
                "--file", spec.install().source(), "--directory", root.toString()));
    }
}
