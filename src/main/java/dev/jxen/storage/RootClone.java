package dev.jxen.storage;

import java.nio.file.Path;

/**
 * A ready filesystem image of the guest's base system (the base-tree cache's {@code KEY.ext4}) that
 * the root image is cloned from instead of being formatted and filled.
 *
 * @param image the ext4 image to clone
 * @param key   the cache entry it belongs to
 */
public record RootClone(Path image, String key) {
}
