package dev.jxen.install;

import dev.jxen.install.cache.BaseTreeCache;
import dev.jxen.install.cache.CacheManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaseTreeCacheTest {
    @TempDir
    Path tmp;

    static CacheManifest manifest(String releaseSha, List<String> packages) {
        return new CacheManifest("bookworm", "amd64", "debootstrap 1.0.128", "default", packages, "http://mirror.example/debian",
                "Sat, 10 May 2025 08:00:00 UTC", releaseSha, null);
    }

    private BaseTreeCache.Entry store(BaseTreeCache cache, CacheManifest m, int bytes) throws Exception {
        cache.ensureDir();
        Path staging = cache.stagingFile(m);
        Files.write(staging, new byte[bytes]);
        cache.publish(staging, m);
        return cache.lookup(m).orElseThrow();
    }

    @Test
    void aChangedReleaseOrPackageListIsAMissThatSaysWhy() throws Exception {
        BaseTreeCache cache = new BaseTreeCache(tmp);
        CacheManifest old = manifest("aaaa", List.of("openssh-server", "linux-image-amd64"));
        store(cache, old, 10);
        assertTrue(cache.lookup(manifest("aaaa", List.of("linux-image-amd64", "openssh-server"))).isPresent(), "package order does not matter");
        CacheManifest newer = manifest("bbbb", List.of("openssh-server", "linux-image-amd64"));
        assertNotEquals(old.key(), newer.key());
        assertTrue(cache.lookup(newer).isEmpty());
        String why = cache.explainMiss(newer).orElseThrow();
        assertTrue(why.contains("release-sha256 (aaaa -> bbbb)"), why);
    }

    @Test
    void aFifoInTheCacheIsNoEntryAndDoesNotHangTheList() throws Exception {
        BaseTreeCache cache = new BaseTreeCache(tmp);
        BaseTreeCache.Entry real = store(cache, manifest("a", List.of()), 10);
        for (String name : List.of("0123abcd.json", "0123abcd.tar.zst", "4567ef01.tar.zst")) {
            assertEquals(0, new ProcessBuilder("mkfifo", tmp.resolve(name).toString()).start().waitFor());
        }
        Files.writeString(tmp.resolve("4567ef01.json"), "{}");
        java.util.concurrent.Future<List<BaseTreeCache.Entry>> listed = java.util.concurrent.Executors.newSingleThreadExecutor().submit(cache::list);
        List<BaseTreeCache.Entry> entries = listed.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(List.of(real.key()), entries.stream().map(BaseTreeCache.Entry::key).toList());
    }

    @Test
    void pruneRemovesTheLeastRecentlyUsedAboveTheBound() throws Exception {
        BaseTreeCache cache = new BaseTreeCache(tmp);
        BaseTreeCache.Entry a = store(cache, manifest("a", List.of()), 1000);
        BaseTreeCache.Entry b = store(cache, manifest("b", List.of()), 1000);
        BaseTreeCache.Entry c = store(cache, manifest("c", List.of()), 1000);
        Files.setLastModifiedTime(a.tarball(), FileTime.from(Instant.now().minusSeconds(300)));
        Files.setLastModifiedTime(b.tarball(), FileTime.from(Instant.now().minusSeconds(100)));
        List<BaseTreeCache.Entry> removed = cache.prune(2000, c.key());
        assertEquals(List.of(a.key()), removed.stream().map(BaseTreeCache.Entry::key).toList());
        assertEquals(2, cache.list().size());
        assertTrue(Files.notExists(tmp.resolve(a.key() + ".json")));
    }

    @Test
    void twoRunsStoringTheSameKeyAtOnceNeverTearTheEntry() throws Exception {
        BaseTreeCache cache = new BaseTreeCache(tmp.resolve("cache"));
        cache.ensureDir();
        CacheManifest m = manifest("same", List.of());
        var runner = new dev.jxen.system.LocalCommandRunner();
        List<Path> trees = new java.util.ArrayList<>();
        for (String who : List.of("first", "second")) {
            Path t = Files.createDirectories(tmp.resolve(who + "/etc"));
            for (int i = 0; i < 200; i++) {
                Files.writeString(t.resolve(who + "-" + i), who.repeat(1000));
            }
            trees.add(t.getParent());
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        var published = new java.util.concurrent.ConcurrentLinkedQueue<Boolean>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (Path tree : trees) {
            pool.submit(() -> {
                go.await();
                Path staging = cache.stagingFile(m);
                runner.check(cache.packCommand(tree, staging), l -> { });
                runner.check(cache.checkCommand(staging), l -> { });
                published.add(cache.publish(staging, m));
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(List.of(false, true), published.stream().sorted().toList(), "exactly one run publishes");
        BaseTreeCache.Entry e = cache.lookup(m).orElseThrow();
        assertTrue(runner.run(cache.checkCommand(e.tarball()), l -> { }).ok(), "the published entry is torn");
        String listing = runner.check(dev.jxen.system.Command.of("tar", "--list", "--use-compress-program=zstd -d -q", "--file",
                e.tarball().toString()).capturing(), l -> { }).stdout();
        boolean first = listing.contains("first-0");
        assertTrue(first != listing.contains("second-0"), "the entry mixes two trees");
        try (var s = Files.list(cache.dir())) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp.")).toList(), "temporary files left");
        }
    }

    @Test
    void strayTemporariesOfDeadRunsAndBrokenEntriesArePrunedButNotALiveRunsFile() throws Exception {
        BaseTreeCache cache = new BaseTreeCache(tmp);
        CacheManifest m = manifest("x", List.of());
        BaseTreeCache.Entry e = store(cache, m, 100);
        Path dead = Files.writeString(tmp.resolve("." + m.key() + ".2147483647-abc.tmp.tar.zst"), "half");
        Path live = cache.stagingFile(m);
        Files.writeString(live, "being packed");
        cache.quarantine(e);
        assertTrue(cache.lookup(m).isEmpty(), "a broken entry is still found");
        List<Path> strays = cache.strays();
        assertTrue(strays.contains(dead), strays.toString());
        assertTrue(strays.stream().anyMatch(p -> p.getFileName().toString().contains(".broken-")), strays.toString());
        assertTrue(!strays.contains(live), "the temporary file of a live run would be removed");
    }
}
