package dev.jxen.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The base-tree cache under pressure, in a cache of its own: two cold creates of the same release at
 * once store one entry (the second waits, then unpacks it), and an entry that is broken is moved aside
 * and the create installs afresh instead of failing.
 */
@Tag("root")
@Tag("mirror")
class CacheSafetyIT {
    @TempDir
    static Path tmp;
    static Jxen jxen;
    static Path cache;
    static Path kernel;

    @BeforeAll
    static void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
        cache = tmp.resolve("cache");
        kernel = Files.writeString(tmp.resolve("vmlinuz-dummy"), "not a kernel");
    }

    private static List<String> args(String host) {
        return new ArrayList<>(jxen.createArgs(host, "--nopygrub", "--kernel", kernel.toString(), "--base-cache-dir", cache.toString()));
    }

    private static List<String> entries() throws Exception {
        try (Stream<Path> s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).sorted().toList();
        }
    }

    /** Two cold creates of one release started side by side, which fill the cache: their logs. */
    private record Filled(String log1, String log2) {
    }

    static final Shared<Filled> FILLED = new Shared<>(() -> {
        Process a = jxen.start("jxen-create-image", args("c1"));
        Thread.sleep(1500);
        Process b = jxen.start("jxen-create-image", args("c2"), "c2");
        assertTrue(a.waitFor(20, TimeUnit.MINUTES) && b.waitFor(20, TimeUnit.MINUTES));
        assertEquals(0, a.exitValue(), Files.readString(jxen.log("c1")));
        assertEquals(0, b.exitValue(), Files.readString(jxen.log("c2")));
        return new Filled(Files.readString(jxen.log("c1")), Files.readString(jxen.log("c2")));
    });

    @Test
    void twoColdCreatesOfOneReleaseStoreOneEntry() throws Exception {
        String log1 = FILLED.get().log1();
        String log2 = FILLED.get().log2();
        boolean secondWaited = log2.contains("waiting for another jxen run that is filling the cache");
        boolean firstWaited = log1.contains("waiting for another jxen run that is filling the cache");
        assertTrue(secondWaited ^ firstWaited, "exactly one run waits for the other:\n" + log1 + "\n----\n" + log2);
        String waiter = secondWaited ? log2 : log1;
        assertTrue(waiter.contains("unpacking the cached base tree"), waiter);
        List<String> e = entries();
        assertEquals(3, e.size(), e.toString());
        assertTrue(e.get(0).endsWith(".ext4") && e.get(1).endsWith(".json") && e.get(2).endsWith(".tar.zst"), e.toString());
        Jxen.Result list = jxen.run("jxen", List.of("cache", "list", "--base-cache-dir", cache.toString()));
        assertTrue(list.out().contains(" ok"), list.out());
    }

    @Test
    void aBrokenEntryIsMovedAsideAndTheCreateInstallsAfresh() throws Exception {
        FILLED.get();
        Path tarball;
        try (Stream<Path> s = Files.list(cache)) {
            tarball = s.filter(p -> p.toString().endsWith(".tar.zst") && !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
        }
        // a torn entry: a clone reads the ready image, an unpack the tarball
        for (Path torn : List.of(tarball, Path.of(tarball.toString().replace(".tar.zst", ".ext4")))) {
            try (RandomAccessFile f = new RandomAccessFile(torn.toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
        }
        Jxen.Result list = jxen.run("jxen", List.of("cache", "list", "--base-cache-dir", cache.toString()));
        assertTrue(list.out().contains("broken"), list.out());
        Jxen.Result r = jxen.run("jxen-create-image", args("c3"));
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("is broken") && r.out().contains("moved it aside, and installing afresh instead"), r.out());
        try (GuestImage g = GuestImage.mount(jxen.image("c3", "disk"), tmp.resolve("mnt-c3"))) {
            assertTrue(g.read("etc/os-release").contains("bookworm"));
        }
        Jxen.Result prune = jxen.run("jxen", List.of("cache", "prune", "--base-cache-dir", cache.toString()));
        assertEquals(0, prune.exit(), prune.all());
        assertTrue(prune.out().contains(".broken-"), prune.out());
        assertEquals(3, entries().size(), entries().toString());
        Jxen.Result after = jxen.run("jxen", List.of("cache", "list", "--base-cache-dir", cache.toString()));
        assertTrue(after.out().contains(" ok") && !after.out().contains("broken"), after.out());
    }
}
