package dev.jxen.lifecycle;

import dev.jxen.pipeline.Pipeline;
import dev.jxen.storage.GuestStorage;
import dev.jxen.storage.RemoveStorageStage;
import dev.jxen.storage.StorageInUseStage;
import dev.jxen.system.Dom0Paths;
import dev.jxen.xen.GuestStoppedStage;
import dev.jxen.xen.RemoveDomUConfigStage;

import java.nio.file.Path;

/**
 * {@code jxen-delete-image}: the stages of a delete. Nothing is removed unless the guest is known
 * to be stopped and none of its storage is in use; then exactly its storage, then its .cfg.
 */
public final class DeleteGuest {
    private DeleteGuest() {
    }

    /**
     * @param storage what the guest owns, found before (see {@link GuestStorage#find})
     * @param force   go on when xl cannot tell whether the guest runs (never when it runs)
     */
    public static Pipeline pipeline(String guest, GuestStorage storage, Path cfg, Path autoDir, boolean force, Dom0Paths paths) {
        Pipeline.Builder p = Pipeline.builder(false, paths.faultAfterStage());
        p.add(new GuestStoppedStage(guest, cfg, force, paths));
        p.add(new StorageInUseStage(guest, storage));
        p.add(new RemoveStorageStage(guest, storage));
        p.add(new RemoveDomUConfigStage(cfg, autoDir));
        return p.build();
    }
}
