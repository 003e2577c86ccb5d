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
        return cache.publish(staging, m);
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
}
