package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.Undo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unmount stage releases exactly the mount stage's unmount entries, innermost first, and only once. */
class UnmountStageTest {
    @TempDir
    Path tmp;

    /** An unmount that notes when it runs, and fails if told to. */
    private record NotedUnmount(String at, List<String> ran, boolean fails) implements Undo {
        public String kind() {
            return "test-unmount";
        }

        public Map<String, String> args() {
            return Map.of("at", at);
        }

        public String describe() {
            return "unmount " + at;
        }

        public void run(CommandRunner runner) throws IOException {
            ran.add(at);
            if (fails) {
                throw new IOException("umount: " + at + ": target is busy");
            }
        }
    }

    /** A mount stage's stand-in: registers the mount point's removal and the unmounts, outermost first, as MountStage does. */
    private static Stage<MountedRoot> mounted(Path root, List<String> ran, String failing, String... mountPoints) {
        return TestStages.looking("mount", ctx -> {
            ctx.undo().cleanup(new NotedUnmount("(remove the mount point)", ran, false));
            List<UndoStack.Entry> unmounts = new ArrayList<>();
            for (String m : mountPoints) {
                unmounts.add(0, ctx.undo().cleanup(new NotedUnmount(m, ran, m.equals(failing))));
            }
            return new MountedRoot(root, unmounts);
        });
    }

    @Test
    void theUnmountsRunInnermostFirstAndAreGoneFromTheStackWhileTheMountPointStays() throws Exception {
        List<String> ran = new ArrayList<>();
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> m = b.add(mounted(tmp, ran, null, "/r", "/r/var", "/r/var/log"));
        b.add(new UnmountStage(m));
        StorageStageRig rig = new StorageStageRig();
        AtomicReference<List<String>> ranThen = new AtomicReference<>();
        AtomicReference<List<String>> stackThen = new AtomicReference<>();
        b.add(StorageStageRig.probe(ctx -> {
            ranThen.set(List.copyOf(ran));
            stackThen.set(rig.current());
        }));
        rig.run(b.build());
        assertEquals(List.of("/r/var/log", "/r/var", "/r"), ranThen.get());
        assertEquals(List.of("CLEANUP: unmount (remove the mount point)"), stackThen.get(), "only the mount point's removal waits for the end");
        assertEquals(List.of("/r/var/log", "/r/var", "/r", "(remove the mount point)"), ran, "the end of the run unmounts nothing twice");
    }

    @Test
    void anUnmountThatFailsFailsTheStageAndTheRollbackStillUnmountsTheRest() throws Exception {
        List<String> ran = new ArrayList<>();
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> m = b.add(mounted(tmp, ran, "/r/home", "/r", "/r/home"));
        b.add(new UnmountStage(m));
        StorageStageRig rig = new StorageStageRig();
        StageFailedException e = assertThrows(StageFailedException.class, () -> rig.run(b.build()));
        assertEquals("unmount", e.stage());
        assertTrue(e.getMessage().contains("target is busy"), e.getMessage());
        // the stage's try, the rollback's second try, then what is left
        assertEquals(List.of("/r/home", "/r/home", "/r", "(remove the mount point)"), ran);
        assertEquals(List.of(), rig.current());
    }

    @Test
    void afterTheMountStageOnlyTheMountPointsRemovalIsLeft() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=u2", "dir=" + tmp.resolve("store"), "partitions=sample-server");
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<GuestDisks> disks = b.add(TestStages.giving("storage", GuestDisks.layout(spec)));
        StageResult<MountedRoot> m = b.add(MountStage.forNewGuest(spec, disks, tmp.resolve("work")));
        b.add(new UnmountStage(m));
        StorageStageRig rig = new StorageStageRig();
        AtomicReference<List<String>> stackThen = new AtomicReference<>();
        AtomicReference<Path> root = new AtomicReference<>();
        b.add(StorageStageRig.probe(ctx -> {
            stackThen.set(rig.current());
            root.set(ctx.get(m).root());
        }));
        rig.run(b.build());
        assertEquals(4, rig.registered().size(), rig.registered().toString()); // the mount point and three mounts
        assertEquals(List.of("CLEANUP: remove " + root.get()), stackThen.get());
    }
}
