package dev.jxen.lifecycle;

import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.storage.DiskGrowth;
import dev.jxen.storage.DiskRoomStage;
import dev.jxen.storage.FilesystemCheckStage;
import dev.jxen.storage.GrowDiskStage;
import dev.jxen.storage.GrowFilesystemStage;
import dev.jxen.storage.GuestStorage;
import dev.jxen.storage.StorageInUseStage;
import dev.jxen.system.Dom0Paths;
import dev.jxen.xen.GuestStoppedStage;

import java.nio.file.Path;

/**
 * {@code jxen-resize-image}: the stages of a resize. Nothing is touched unless the guest is known to
 * be stopped (an unknown state is refused, --force or not), none of its storage is in use, there is room
 * for what is added, and the filesystem of the disk is clean; then the disk grows, then its filesystem.
 */
public final class ResizeGuest {
    private ResizeGuest() {
    }

    /** The stages, and the key of the filesystem's size once grown, for the summary. */
    public record Stages(Pipeline pipeline, StageResult<Long> filesystemBytes) {
    }

    /**
     * @param cfg     the guest's .cfg, whose domain name is checked too (it may not exist)
     * @param storage what the guest owns, all of which must be free
     * @param growth  the disk to grow, as it is now, and its new size
     */
    public static Stages pipeline(String guest, Path cfg, GuestStorage storage, DiskGrowth growth, Dom0Paths paths) {
        Pipeline.Builder p = Pipeline.builder(false, paths.faultAfterStage());
        p.add(new GuestStoppedStage(guest, cfg, false, paths));
        p.add(new StorageInUseStage(guest, storage));
        p.add(new DiskRoomStage(growth));
        p.add(new FilesystemCheckStage(growth));
        StageResult<UndoStack.Entry> grown = p.add(new GrowDiskStage(guest, growth, paths));
        StageResult<Long> bytes = p.add(new GrowFilesystemStage(guest, growth, grown, paths.workDir()));
        return new Stages(p.build(), bytes);
    }
}
