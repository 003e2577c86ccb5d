package dev.jxen.installer;

import dev.jxen.mirror.AptSources;
import dev.jxen.mirror.Download;
import dev.jxen.mirror.MirrorGuess;
import dev.jxen.system.LocalCommandRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The installer's kernel and initrd from this machine's mirror, which answers 404 under
 * {@code images/}: taken from Debian's netboot package, each link checked, and kept by hash. The
 * cache is shared by CI runs on one machine, so the package (about 130 MB) is fetched once.
 */
@Tag("mirror")
class InstallerImagesIT {
    private static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    private static final Path SHARED_CACHE = Path.of("/var/tmp/jxen-test-installer-cache");

    @TempDir
    Path tmp;

    private static String mirror() {
        return MirrorGuess.mirrorFor(AptSources.read(Path.of("/etc/apt")), Set.of("bookworm", "trixie", "forky", "sid")).orElseThrow().uri();
    }

    @Test
    void theNetbootImagesOfBookwormVerifiedAndCachedByHash() throws Exception {
        InstallerImages images = new InstallerImages(mirror(), "bookworm", "amd64", KEYRING, SHARED_CACHE, new Download(Optional.empty(), 120),
                new LocalCommandRunner(), new dev.jxen.mirror.ReleaseHistory(tmp.resolve("releases")));
        InstallerImages.Verified v = images.fetchImages(Files.createDirectories(tmp.resolve("w1")));
        System.out.println("installer images (" + v.source() + "):\n  " + String.join("\n  ", v.chain()));
        Path sumsFile = tmp.resolve("SHA256SUMS");
        new Download(Optional.empty(), 60).fetch(images.suiteUrl() + InstallerImages.sumsPath("amd64"), 16 << 20, sumsFile);
        Sha256Sums sums = new Sha256Sums(Files.readString(sumsFile));
        assertEquals(sums.of("./netboot/xen/vmlinuz").orElseThrow(), Download.sha256(v.kernel()), "the kernel Debian publishes for Xen guests");
        String initrd = Download.sha256(v.initrd());
        assertTrue(initrd.equals(sums.of("./netboot/xen/initrd.gz").orElseThrow())
                || initrd.equals(sums.of("./netboot/debian-installer/amd64/initrd.gz").orElseThrow()), "an initrd SHA256SUMS lists");
        assertEquals(SHARED_CACHE.resolve(Download.sha256(v.kernel())), v.kernel(), "kept under its hash");

        InstallerImages.Verified again = images.fetchImages(Files.createDirectories(tmp.resolve("w2")));
        assertEquals(InstallerImages.Source.CACHE, again.source(), "the second time from the cache: " + again.chain());
        assertEquals(v.kernel(), again.kernel());
    }

    @Test
    void aTamperedPackageIsRefusedByItsHashInPackagesGz() throws Exception {
        String real = mirror();
        Path m = tmp.resolve("mirror");
        Path suite = Files.createDirectories(m.resolve("dists/bookworm"));
        Download d = new Download(Optional.empty(), 120);
        d.fetch(real + "/dists/bookworm/InRelease", 16 << 20, suite.resolve("InRelease"));
        Path sums = suite.resolve(InstallerImages.sumsPath("amd64"));
        Files.createDirectories(sums.getParent());
        d.fetch(real + "/dists/bookworm/" + InstallerImages.sumsPath("amd64"), 16 << 20, sums);
        Path packages = suite.resolve("main/binary-all/Packages.gz");
        Files.createDirectories(packages.getParent());
        d.fetch(real + "/dists/bookworm/main/binary-all/Packages.gz", 64 << 20, packages);
        String text = new String(new java.util.zip.GZIPInputStream(Files.newInputStream(packages)).readAllBytes());
        PackageIndex.Stanza pkg = new PackageIndex(text).find("debian-installer-\\d+-netboot-amd64").orElseThrow();
        Path deb = m.resolve(pkg.filename());
        Files.createDirectories(deb.getParent());
        Files.write(deb, new byte[(int) Math.min(pkg.size(), 1 << 20)]);
        InstallerImages images = new InstallerImages(m.toUri().toString(), "bookworm", "amd64", KEYRING, tmp.resolve("cache"),
                new Download(Optional.empty(), 10), new LocalCommandRunner(), new dev.jxen.mirror.ReleaseHistory(tmp.resolve("releases")));
        ChainBroken e = assertThrows(ChainBroken.class, () -> images.fetchImages(Files.createDirectories(tmp.resolve("w"))));
        assertTrue(e.getMessage().contains(pkg.filename()) && e.getMessage().contains("but main/binary-all/Packages.gz says"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("cache")), "nothing unverified is cached");
    }
}
