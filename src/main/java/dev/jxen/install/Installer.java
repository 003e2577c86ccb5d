package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.system.Command;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A way to put a base system into a directory. */
public interface Installer {

    /** The installer's name and version, part of the base-tree cache key. */
    String identity();

    /** The commands that install into {@code root}, with the environment they need (the proxy). */
    List<Command> commands(ImageSpec spec, Path root, Map<String, String> env);

    /** What the user should know about how this spec is installed (a fallback taken), said before it runs. */
    default List<String> notes(ImageSpec spec) {
        return List.of();
    }

    /** True if the result depends only on the spec and the mirror, so it may be cached. */
    default boolean cacheable() {
        return true;
    }
}
