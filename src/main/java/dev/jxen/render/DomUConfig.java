package dev.jxen.render;

import java.nio.file.Path;

/** The published domU configuration file. */
public record DomUConfig(Path file) {
}
