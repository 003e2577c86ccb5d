package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.JxenException;
import dev.jxen.install.cache.BaseTreeCache;
import dev.jxen.mirror.MirrorAnswer;
import dev.jxen.mirror.ReleaseProbe;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The base cache, base install and store base stages, run for real (tar and zstd) on a cache in a
 * temporary directory: a miss holds the key's fill lock until the fresh tree is stored, the next
 * guest unpacks it and installs nothing, and a failure in between gives the lock back.
 */
class BaseCacheStagesTest {
    @TempDir
    Path tmp;

    private static final MirrorAnswer MIRROR = new MirrorAnswer("http://mirror.example/debian",
            new ReleaseProbe.Release("http://mirror.example/debian/dists/bookworm/InRelease", "Sat, 10 Jun 2023 08:54:00 UTC",
                    "ab".repeat(32), ""), Optional.empty());

    private ImageSpec spec() throws Exception {
        // logical volumes: no ready image is made of the tree (that needs the guest's own filesystem)
        return TestSpecs.spec(tmp, "hostname=b1", "lvm=vg0", "base-cache-dir=" + tmp.resolve("cache"));
    }

    private Path root(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    private record Run(Pipeline pipeline, StageResult<BaseLookup> lookup, StageResult<BaseTree> base, java.util.concurrent.atomic.AtomicBoolean freeAfterStore) {
    }

    /** mounted → mirror → base cache → (the real base install, or a stand-in for it) → store base [→ a failure] */
    private Run pipeline(ImageSpec spec, Path root, boolean realInstall, String faultAfter) {
        Pipeline.Builder b = Pipeline.builder(false, faultAfter);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        StageResult<MirrorAnswer> mirror = b.add(TestStages.giving("mirror", MIRROR));
        StageResult<BaseLookup> lookup = b.add(new BaseCacheStage(spec, mounted, mirror, StageResult.absent("base image")));
        StageResult<BaseTree> base = b.add(realInstall ? new BaseInstallStage(spec, mounted, mirror, lookup, null)
                : TestStages.giving("base install", new BaseTree.Installed("mmdebstrap", MIRROR.mirror())));
        b.add(new BaseStoreStage(spec, mounted, lookup));
        var freeAfterStore = new java.util.concurrent.atomic.AtomicBoolean();
        b.add(TestStages.looking("after store", ctx -> {
            freeAfterStore.set(lockFree(spec, ctx.get(lookup)));
            return null;
        }));
        return new Run(b.build(), lookup, base, freeAfterStore);
    }

    private static StageContext run(Pipeline p) {
        return run(p, new LocalCommandRunner());
    }

    private static StageContext run(Pipeline p, dev.jxen.system.CommandRunner runner) {
        return p.run(runner, new EventHandlers(new Redactor()), new UndoStack());
    }

    /** True when the key's fill lock is free: a lock this JVM still holds makes another channel's attempt throw. */
    private static boolean lockFree(ImageSpec spec, BaseLookup found) throws Exception {
        Path file = spec.install().caches().baseDir().resolve("." + found.manifest().key() + ".lock");
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            return ch.tryLock() != null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return false;
        }
    }

    @Test
    void aMissIsStoredAndTheNextGuestUnpacksItWithoutInstalling() throws Exception {
        ImageSpec spec = spec();
        Path first = root("first");
        Files.createDirectories(first.resolve("etc"));
        Files.writeString(first.resolve("etc/debian_version"), "12.11\n");
        Run fill = pipeline(spec, first, false, null);
        StageContext ctx = run(fill.pipeline());
        BaseLookup miss = ctx.get(fill.lookup());
        assertInstanceOf(BaseLookup.Miss.class, miss);
        assertTrue(new BaseTreeCache(spec.install().caches().baseDir()).lookup(miss.manifest()).isPresent(), "the tree is stored");
        assertTrue(fill.freeAfterStore().get(), "the store released the fill lock, before the run's end");

        Path second = root("second");
        LocalCommandRunner local = new LocalCommandRunner();
        RecordingCommandRunner recorder = new RecordingCommandRunner(c -> local.run(c, line -> { }));
        Run reuse = pipeline(spec, second, true, null);
        StageContext again = run(reuse.pipeline(), recorder);
        assertEquals("12.11\n", Files.readString(second.resolve("etc/debian_version")), "unpacked from the cache");
        BaseLookup hit = again.get(reuse.lookup());
        assertInstanceOf(BaseLookup.Hit.class, hit);
        assertEquals(new BaseTree.Cached(miss.manifest().key(), MIRROR.mirror()), again.get(reuse.base()));
        assertEquals("cache " + miss.manifest().key().substring(0, 12), again.get(reuse.base()).describe());
        assertTrue(recorder.lines().stream().noneMatch(l -> l.startsWith("mmdebstrap") || l.startsWith("debootstrap")), recorder.lines().toString());
        assertTrue(recorder.lines().stream().anyMatch(l -> l.startsWith("tar ")), recorder.lines().toString());
        assertTrue(reuse.freeAfterStore().get(), "a hit holds no lock");
    }

    @Test
    void aFailureAfterTheLookupGivesTheFillLockBack() throws Exception {
        ImageSpec spec = spec();
        Run fail = pipeline(spec, root("r"), false, "base cache");
        assertThrows(JxenException.class, () -> run(fail.pipeline()));
        // the lock's key has the installer's version in it, read when it runs: find the lock by listing
        try (var files = Files.list(spec.install().caches().baseDir())) {
            List<Path> locks = files.filter(f -> f.getFileName().toString().endsWith(".lock")).toList();
            assertEquals(1, locks.size(), locks.toString());
            try (var ch = java.nio.channels.FileChannel.open(locks.get(0), java.nio.file.StandardOpenOption.WRITE)) {
                assertTrue(ch.tryLock() != null, "the rollback released " + locks.get(0));
            }
        }
        assertTrue(new BaseTreeCache(spec.install().caches().baseDir()).list().isEmpty(), "nothing stored");
    }

    @Test
    void theFillLockIsNotWrittenToTheRunsJournal() throws Exception {
        // the kernel gives a lock back when the process dies: a killed run leaves nothing of it to recover
        Path state = tmp.resolve("state");
        UndoStack undo = new UndoStack(dev.jxen.pipeline.RunJournal.start(state, "b1", "create-image", false));
        ImageSpec spec = spec();
        BaseTreeCache.FillLock lock = new BaseTreeCache(spec.install().caches().baseDir())
                .fillLock(BaseRecipe.manifest(spec, BaseRecipe.planned(spec, null), MIRROR), () -> { });
        undo.cleanup(new dev.jxen.system.SystemUndo.RemoveFile(tmp.resolve("scratch")));
        undo.cleanup(lock);
        String journal = Files.readString(dev.jxen.pipeline.RunJournal.fileFor(state, "b1"));
        assertTrue(journal.contains("remove-file"), journal);
        assertTrue(!journal.contains("release-fill-lock") && !journal.contains(lock.file().toString()), journal);
        lock.run(null);
    }
}
