package dev.jxen.install;

import dev.jxen.install.cache.CacheManifest;
import dev.jxen.pipeline.UndoStack;

/** What the base cache stage found for the guest's base system. */
public sealed interface BaseLookup {
    /** The entry this base is stored under, or would be. */
    CacheManifest manifest();

    /**
     * The root holds the base already: unpacked from the cache, or cloned from its ready image.
     * {@code storeImage}: the entry has no ready image yet, and the store stage makes one.
     */
    record Hit(BaseTree.Cached tree, CacheManifest manifest, boolean storeImage) implements BaseLookup {
    }

    /**
     * No entry: this run installs the base and stores it, and holds the key's fill lock until it has
     * (the store stage releases it), so that another run that needs the key waits and then unpacks it.
     */
    record Miss(CacheManifest manifest, UndoStack.Entry fillLock) implements BaseLookup {
    }
}
