package dev.jxen.install;

/**
 * The result of the base install.
 *
 * @param method    how the tree was made: debootstrap, mmdebstrap, tar, copy, or "cache"
 * @param cacheKey  the base-tree cache key, or null when the tree was not cacheable
 * @param fromCache true when the tree was unpacked from the cache
 */
public record BaseTree(String method, String cacheKey, boolean fromCache, String mirror, String proxy) {
}
