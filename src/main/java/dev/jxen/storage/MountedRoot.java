package dev.jxen.storage;

import dev.jxen.pipeline.UndoStack;

import java.nio.file.Path;
import java.util.List;

/**
 * The guest's filesystems mounted on the dom0 under {@code root}; {@code unmounts} are the undo
 * entries, innermost first, that the unmount stage releases.
 */
public record MountedRoot(Path root, List<UndoStack.Entry> unmounts) {
}
