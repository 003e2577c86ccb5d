package dev.jxen.installer;

import dev.jxen.mirror.AptSources;
import dev.jxen.mirror.ReleaseHistory;
import dev.jxen.mirror.Download;
import dev.jxen.mirror.MirrorGuess;
import dev.jxen.system.LocalCommandRunner;
import org.junit.jupiter.api.BeforeAll;
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
 * Debian's chain from the archive key to the installer's files, with the real InRelease and
 * SHA256SUMS of bookworm from this machine's mirror, served again from a file: mirror in which
 * the test changes one link at a time.
 */
@Tag("mirror")
class InstallerChainIT {
    private static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    private static final String SUMS = InstallerImages.sumsPath("amd64");
    private static final String UDEBS = "main/debian-installer/binary-amd64/Packages.gz";

    @TempDir
    static Path real;
    @TempDir
    Path tmp;

    @BeforeAll
    static void fetchTheRealFiles() throws Exception {
        String mirror = MirrorGuess.mirrorFor(AptSources.read(Path.of("/etc/apt")), Set.of("bookworm", "trixie", "forky", "sid"))
                .orElseThrow().uri();
        Download d = new Download(Optional.empty(), 60);
        d.fetch(mirror + "/dists/bookworm/InRelease", 16 << 20, real.resolve("InRelease"));
        d.fetch(mirror + "/dists/bookworm/" + SUMS, 16 << 20, real.resolve("SHA256SUMS"));
        d.fetch(mirror + "/dists/bookworm/" + UDEBS, 16 << 20, real.resolve("udebs.gz"));
        d.fetch(mirror + "-security/dists/bookworm-security/InRelease", 16 << 20, real.resolve("security-InRelease"));
        // another release's genuinely signed Release: bullseye's while the mirror has it, else trixie's
        try {
            d.fetch(mirror + "/dists/bullseye/InRelease", 16 << 20, real.resolve("other-InRelease"));
        } catch (java.io.IOException e) {
            d.fetch(mirror + "/dists/trixie/InRelease", 16 << 20, real.resolve("other-InRelease"));
        }
    }

    /** A file: mirror with the real InRelease and SHA256SUMS, in which a test may change either. */
    private Path mirror() throws Exception {
        Path suite = Files.createDirectories(tmp.resolve("mirror/dists/bookworm"));
        Files.copy(real.resolve("InRelease"), suite.resolve("InRelease"));
        Files.createDirectories(suite.resolve(SUMS).getParent());
        Files.copy(real.resolve("SHA256SUMS"), suite.resolve(SUMS));
        return tmp.resolve("mirror");
    }

    private InstallerImages images(Path mirror) {
        return new InstallerImages(mirror.toUri().toString(), "bookworm", "amd64", KEYRING, tmp.resolve("cache"), new Download(Optional.empty(), 10),
                new LocalCommandRunner(), new ReleaseHistory(tmp.resolve("releases")));
    }

    private Path work() throws Exception {
        return Files.createDirectories(tmp.resolve("work-" + System.nanoTime()));
    }

    @Test
    void theRealReleaseVerifiesAndListsTheInstallersSums() throws Exception {
        SignedRelease r = SignedRelease.verify("InRelease", real.resolve("InRelease"), KEYRING, tmp, new LocalCommandRunner());
        assertTrue(r.text().startsWith("Origin: Debian"), r.text());
        SignedRelease.Expected sums = r.sha256(SUMS).orElseThrow();
        assertEquals(Download.sha256(real.resolve("SHA256SUMS")), sums.sha256());
        assertEquals(Files.size(real.resolve("SHA256SUMS")), sums.size());
        assertTrue(new Sha256Sums(Files.readString(real.resolve("SHA256SUMS"))).of("./netboot/xen/vmlinuz").isPresent());
    }

    @Test
    void anotherReleasesSignedReleaseUnderTheNameAskedForIsRefused() throws Exception {
        Path m = mirror();
        Files.copy(real.resolve("other-InRelease"), m.resolve("dists/bookworm/InRelease"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ChainBroken e = assertThrows(ChainBroken.class, () -> images(m).fetch(work()));
        assertTrue(e.getMessage().matches("(?s).*InRelease is the Release of (bullseye|trixie) \\(suite [a-z]+\\), not of bookworm.*"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("cache")), "nothing was fetched after the Release");
    }

    @Test
    void anOlderReleaseThanOneSeenBeforeIsRefused() throws Exception {
        Path m = mirror();
        String suiteUrl = images(m).suiteUrl();
        java.time.Instant date = dev.jxen.mirror.ReleaseFields.parse(release().text()).date().orElseThrow();
        new ReleaseHistory(tmp.resolve("releases")).record(suiteUrl, date.plusSeconds(86400));
        ChainBroken e = assertThrows(ChainBroken.class, () -> images(m).fetch(work()));
        assertTrue(e.getMessage().contains("older than the one jxen saw there"), e.getMessage());
    }

    @Test
    void anExpiredReleaseIsRefusedAndAGoodOneRemembered() throws Exception {
        SignedRelease security = SignedRelease.verify("security InRelease", real.resolve("security-InRelease"), KEYRING,
                Files.createDirectories(tmp.resolve("gpgv")), new LocalCommandRunner());
        java.time.Instant until = dev.jxen.mirror.ReleaseFields.parse(security.text()).validUntil().orElseThrow();
        ReleaseHistory history = new ReleaseHistory(tmp.resolve("releases"));
        ChainBroken e = assertThrows(ChainBroken.class, () -> security.requireRelease("bookworm-security", "sec/", history, until.plusSeconds(60)));
        assertTrue(e.getMessage().contains("expired at " + until), e.getMessage());
        security.requireRelease("bookworm-security", "sec/", history, until.minusSeconds(60));
        assertEquals(dev.jxen.mirror.ReleaseFields.parse(security.text()).date(), history.newest("sec/"));
    }

    @Test
    void aChangedReleaseFailsItsSignature() throws Exception {
        Path m = mirror();
        Path in = m.resolve("dists/bookworm/InRelease");
        Files.writeString(in, Files.readString(in).replace(" main/installer-amd64/current/images/SHA256SUMS",
                " main/installer-amd64/current/images/SHA256SUMX"));
        ChainBroken e = assertThrows(ChainBroken.class, () -> images(m).fetch(work()));
        assertTrue(e.getMessage().contains("InRelease does not verify against " + KEYRING), e.getMessage());
    }

    @Test
    void aTamperedSha256SumsIsRefusedByItsHashInTheRelease() throws Exception {
        Path m = mirror();
        Path sums = m.resolve("dists/bookworm/" + SUMS);
        String text = Files.readString(sums);
        String line = text.lines().filter(l -> l.endsWith("./netboot/xen/vmlinuz")).findFirst().orElseThrow();
        Files.writeString(sums, text.replace(line, "0".repeat(64) + line.substring(64)));
        ChainBroken e = assertThrows(ChainBroken.class, () -> images(m).fetch(work()));
        assertTrue(e.getMessage().contains(SUMS + " has SHA-256 ") && e.getMessage().contains("but the signed "), e.getMessage());
    }

    @Test
    void aTamperedImageIsRefusedByItsHashInSha256Sums() throws Exception {
        Path m = mirror();
        Path xen = Files.createDirectories(m.resolve("dists/bookworm/main/installer-amd64/current/images/netboot/xen"));
        Files.writeString(xen.resolve("vmlinuz"), "not the kernel Debian built\n");
        ChainBroken e = assertThrows(ChainBroken.class, () -> images(m).fetch(work()));
        assertTrue(e.getMessage().contains("netboot/xen/vmlinuz has SHA-256 " + Download.sha256(xen.resolve("vmlinuz"))), e.getMessage());
        assertTrue(e.getMessage().contains("but " + SUMS + " says"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("cache")) || Files.list(tmp.resolve("cache")).findAny().isEmpty(), "nothing unverified is cached");
    }

    private SignedRelease release() throws Exception {
        return SignedRelease.verify("InRelease", real.resolve("InRelease"), KEYRING, Files.createDirectories(tmp.resolve("gpgv")), new LocalCommandRunner());
    }

    /** The mirror's index of the installer's components, and anna, its downloader, where that index puts it. */
    private Path annaIn(Path mirror) throws Exception {
        Path index = Files.createDirectories(mirror.resolve("dists/bookworm/" + UDEBS).getParent()).resolve("Packages.gz");
        Files.copy(real.resolve("udebs.gz"), index);
        String text = new String(new java.util.zip.GZIPInputStream(Files.newInputStream(index)).readAllBytes());
        PackageIndex.Stanza anna = new PackageIndex(text).find("anna").orElseThrow();
        return mirror.resolve(anna.filename());
    }

    @Test
    void aMirrorThatDoesNotServeTheInstallersComponentsIsRefused() throws Exception {
        Path m = mirror();
        Path anna = annaIn(m);
        java.util.List<String> chain = new java.util.ArrayList<>();
        java.util.List<String> warnings = new java.util.ArrayList<>();
        var e = assertThrows(dev.jxen.error.StageFailedException.class, () -> images(m).componentsServed(release(), work(), chain, warnings));
        assertTrue(e.getMessage().contains(anna.getFileName() + " answered HTTP 404")
                && e.getMessage().contains("does not serve the installer's components (.udeb)"), e.getMessage());

        Files.createDirectories(anna.getParent());
        Files.writeString(anna, "not the udeb Debian built\n");
        ChainBroken tampered = assertThrows(ChainBroken.class, () -> images(m).componentsServed(release(), work(), chain, warnings));
        assertTrue(tampered.getMessage().contains(anna.getFileName() + " is ") && tampered.getMessage().contains("but " + UDEBS + " says"),
                tampered.getMessage());
    }

    @Test
    void aMirrorWithoutTheComponentsIndexLeavesItUnknownAndSaysSo() throws Exception {
        Path m = mirror();
        java.util.List<String> chain = new java.util.ArrayList<>();
        java.util.List<String> warnings = new java.util.ArrayList<>();
        images(m).componentsServed(release(), work(), chain, warnings);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("whether the mirror serves the installer's components (.udeb) is not known: ")
                && warnings.get(0).contains(UDEBS + " answered HTTP 404"), warnings.toString());
    }
}
