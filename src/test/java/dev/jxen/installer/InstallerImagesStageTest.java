package dev.jxen.installer;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
import dev.jxen.mirror.Download;
import dev.jxen.mirror.ReleaseHistory;
import dev.jxen.mirror.TestArchiveKey;
import dev.jxen.mirror.TestWebServer;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The installer-images stage against a small archive served from this process on 127.0.0.1: an
 * InRelease signed by a throwaway key (given as --keyring), images/SHA256SUMS, the Xen netboot kernel
 * and initrd (stand-ins of a few bytes: no real Debian Installer is fetched or run), the installer's
 * udeb index and its anna, and, for a mirror without images/, the netboot package built here with
 * dpkg-deb. gpgv and dpkg-deb run for real.
 */
class InstallerImagesStageTest {
    private static final String SUMS = "main/installer-amd64/current/images/SHA256SUMS";
    private static final String UDEBS = "main/debian-installer/binary-amd64/Packages.gz";
    private static final String ALL = "main/binary-all/Packages.gz";
    private static final String ANNA = "pool/main/a/anna/anna_1.87_amd64.udeb";
    private static final String NETBOOT = "pool/main/d/debian-installer-netboot-images/debian-installer-12-netboot-amd64_20230607+deb12u12_all.deb";

    @TempDir
    Path tmp;
    private TestArchiveKey key;
    private TestWebServer web;
    private String mirror;
    private Map<String, byte[]> served;
    private List<String> requests;
    private final List<JxenEvent.StepLog> logs = Collections.synchronizedList(new ArrayList<>());
    private final byte[] kernel = "the Xen netboot kernel\n".getBytes(StandardCharsets.UTF_8);
    private final byte[] initrd = "the Xen netboot initrd\n".getBytes(StandardCharsets.UTF_8);
    private final byte[] genericKernel = "the generic netboot kernel\n".getBytes(StandardCharsets.UTF_8);
    private final byte[] genericInitrd = "the generic netboot initrd\n".getBytes(StandardCharsets.UTF_8);
    private Path cache;
    private Path work;

    @BeforeEach
    void setUp() throws Exception {
        key = TestArchiveKey.make(tmp.resolve("archive-key"));
        cache = tmp.resolve("cache");
        work = tmp.resolve("work");
        web = TestWebServer.start("/debian/");
        served = web.served;
        requests = web.requests;
        mirror = web.url() + "/debian";
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
        key.close();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static String stanza(String pkg, String version, String file, byte[] content) throws Exception {
        return "Package: " + pkg + "\nVersion: " + version + "\nArchitecture: all\nFilename: " + file + "\nSize: " + content.length
                + "\nSHA256: " + sha256(content) + "\n";
    }

    /** The archive: what it serves by path under the mirror, its InRelease listing the indexes in {@code listed}. */
    private void publish(Map<String, byte[]> files, List<String> listed) throws Exception {
        served.clear();
        served.putAll(files);
        StringBuilder release = new StringBuilder("Origin: Debian\nLabel: Debian\nSuite: stable\nVersion: 12.12\nCodename: bookworm\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).format(Instant.now().minus(Duration.ofHours(1))) + "\n"
                + "Architectures: all amd64\nComponents: main\nSHA256:\n");
        for (String p : listed) {
            byte[] b = files.get("dists/bookworm/" + p);
            release.append(" ").append(sha256(b)).append(" ").append(String.format("%8d", b.length)).append(" ").append(p).append("\n");
        }
        served.put("dists/bookworm/InRelease", key.clearsign(release.toString()).getBytes(StandardCharsets.UTF_8));
    }

    /** A whole archive: images/ with the Xen kernel and initrd, the udeb index and anna. */
    private Map<String, byte[]> archive() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String sums = sha256(genericKernel) + "  ./netboot/debian-installer/amd64/linux\n"
                + sha256(genericInitrd) + "  ./netboot/debian-installer/amd64/initrd.gz\n"
                + sha256(initrd) + "  ./netboot/xen/initrd.gz\n"
                + sha256(kernel) + "  ./netboot/xen/vmlinuz\n";
        files.put("dists/bookworm/" + SUMS, sums.getBytes(StandardCharsets.UTF_8));
        files.put("dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz", kernel);
        files.put("dists/bookworm/main/installer-amd64/current/images/netboot/xen/initrd.gz", initrd);
        byte[] anna = "anna, the installer's downloader\n".getBytes(StandardCharsets.UTF_8);
        files.put(ANNA, anna);
        files.put("dists/bookworm/" + UDEBS, gzip(stanza("main-menu", "1.65", "pool/main/m/main-menu/main-menu_1.65_amd64.udeb", new byte[3])
                + "\n" + stanza("anna", "1.87", ANNA, anna)));
        return files;
    }

    private ImageSpec spec() throws Exception {
        return TestSpecs.spec(tmp, "hostname=inst1.example.org", "install-method=installer", "pygrub", "type=pv", "dir=" + tmp.resolve("store"),
                "mirror=" + mirror, "keyring=" + key.keyring());
    }

    private InstallerImages.Verified run(ImageSpec spec, boolean failAfter) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<InstallerImages.Verified> r = b.add(new InstallerImagesStage(spec, cache, work, new ReleaseHistory(tmp.resolve("releases"))));
        if (failAfter) {
            b.add(TestStages.failing());
        }
        LocalCommandRunner local = new LocalCommandRunner();
        EventHandlers h = new EventHandlers(new Redactor()).add(e -> {
            if (e instanceof JxenEvent.StepLog l) {
                logs.add(l);
            }
        });
        return b.build().run(new RecordingCommandRunner(c -> local.run(c, l -> { })), h, new UndoStack()).get(r);
    }

    private List<String> cached() throws Exception {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (var s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void noWorkLeft() throws Exception {
        try (var s = Files.list(work)) {
            assertEquals(List.of(), s.toList(), "the stage's download directory was left");
        }
    }

    @Test
    void theXenImagesAreCheckedAlongTheChainAndKeptByHash() throws Exception {
        publish(archive(), List.of(SUMS, UDEBS));
        InstallerImages.Verified v = run(spec(), false);
        assertEquals(InstallerImages.Source.IMAGES, v.source());
        assertEquals(cache.resolve(sha256(kernel)), v.kernel());
        assertEquals(cache.resolve(sha256(initrd)), v.initrd());
        assertArrayEquals(kernel, Files.readAllBytes(v.kernel()));
        assertArrayEquals(initrd, Files.readAllBytes(v.initrd()));
        assertEquals(List.of(sha256(kernel), sha256(initrd)).stream().sorted().toList(), cached(), "only the two verified files are kept");
        String suite = mirror + "/dists/bookworm/";
        assertEquals(List.of(
                suite + "InRelease: signature good against " + key.keyring(),
                suite + "InRelease: the Release of bookworm, current, and not older than any jxen saw there",
                SUMS + ": SHA-256 " + sha256(served.get("dists/bookworm/" + SUMS)) + " as InRelease lists it",
                "netboot/xen/vmlinuz and initrd.gz: SHA-256 as SHA256SUMS lists them",
                "the installer's components: " + ANNA + " served, SHA-256 as " + UDEBS + " lists it"), v.chain());
        assertEquals(List.of(), v.warnings());
        assertEquals(List.of("dists/bookworm/InRelease", "dists/bookworm/" + SUMS, "dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz",
                "dists/bookworm/main/installer-amd64/current/images/netboot/xen/initrd.gz", "dists/bookworm/" + UDEBS, ANNA), requests);
        assertTrue(new ReleaseHistory(tmp.resolve("releases")).newest(suite).isPresent(), "the Release's date is remembered");
        noWorkLeft();
    }

    @Test
    void theSecondTimeTheImagesComeFromTheCacheAndAFailureAfterItKeepsThem() throws Exception {
        publish(archive(), List.of(SUMS, UDEBS));
        ImageSpec spec = spec();
        run(spec, false);
        requests.clear();
        assertThrows(StageFailedException.class, () -> run(spec, true));
        assertFalse(requests.stream().anyMatch(p -> p.contains("/netboot/")), "the cached images were fetched again: " + requests);
        assertEquals(List.of(sha256(kernel), sha256(initrd)).stream().sorted().toList(), cached(), "verified files are the cache's, not the guest's");
        noWorkLeft();

        requests.clear();
        InstallerImages.Verified v = run(spec, false);
        assertEquals(InstallerImages.Source.CACHE, v.source());
        assertEquals(cache.resolve(sha256(kernel)), v.kernel());
        assertTrue(v.chain().contains("kernel " + sha256(kernel) + " and initrd " + sha256(initrd) + " from the cache " + cache
                + ", kept there under those hashes"), v.chain().toString());
    }

    @Test
    void aKernelThatIsNotTheOneSha256SumsListsIsRefusedAndNothingIsKept() throws Exception {
        Map<String, byte[]> files = archive();
        files.put("dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz", "another kernel\n".getBytes(StandardCharsets.UTF_8));
        publish(files, List.of(SUMS, UDEBS));
        ChainBroken e = assertThrows(ChainBroken.class, () -> run(spec(), false));
        assertEquals("stage 'installer images' failed: " + mirror + "/dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz has SHA-256 "
                + sha256("another kernel\n".getBytes(StandardCharsets.UTF_8)) + ", but " + SUMS + " says " + sha256(kernel), e.getMessage());
        assertTrue(e.hint().startsWith("the mirror (or something between it and this machine) serves files that Debian did not sign"), e.hint());
        assertEquals(List.of(), cached(), "an unverified file was kept");
        noWorkLeft();
    }

    @Test
    void aSha256SumsOfAnotherSizeThanInReleaseListsIsRefused() throws Exception {
        Map<String, byte[]> files = archive();
        publish(files, List.of(SUMS, UDEBS));
        byte[] listed = files.get("dists/bookworm/" + SUMS);
        byte[] longer = (new String(listed, StandardCharsets.UTF_8) + sha256(kernel) + "  ./netboot/xen/extra\n").getBytes(StandardCharsets.UTF_8);
        served.put("dists/bookworm/" + SUMS, longer);
        ChainBroken e = assertThrows(ChainBroken.class, () -> run(spec(), false));
        assertTrue(e.getMessage().endsWith(mirror + "/dists/bookworm/" + SUMS + " is " + longer.length + " bytes, but the signed "
                + mirror + "/dists/bookworm/InRelease says " + listed.length), e.getMessage());
        assertEquals(List.of(), cached());
    }

    @Test
    void anInReleaseSignedByAnotherKeyIsRefusedBeforeAnythingElseIsFetched() throws Exception {
        publish(archive(), List.of(SUMS, UDEBS));
        Path otherKeyring;
        try (TestArchiveKey other = TestArchiveKey.make(tmp.resolve("other-key"))) {
            otherKeyring = other.keyring();
        }
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=inst1.example.org", "install-method=installer", "pygrub", "type=pv",
                "dir=" + tmp.resolve("store"), "mirror=" + mirror, "keyring=" + otherKeyring);
        ChainBroken e = assertThrows(ChainBroken.class, () -> run(spec, false));
        assertTrue(e.getMessage().startsWith("stage 'installer images' failed: the signature of " + mirror + "/dists/bookworm/InRelease does not verify against "
                + otherKeyring), e.getMessage());
        assertEquals(List.of("dists/bookworm/InRelease"), requests);
        assertEquals(List.of(), cached());
    }

    @Test
    void aMirrorThatDoesNotServeTheInstallersComponentsIsRefused() throws Exception {
        Map<String, byte[]> files = archive();
        files.remove(ANNA);
        publish(files, List.of(SUMS, UDEBS));
        StageFailedException e = assertThrows(StageFailedException.class, () -> run(spec(), false));
        assertEquals("stage 'installer images' failed: " + mirror + "/" + ANNA + " answered HTTP 404: this mirror does not serve the installer's "
                + "components (.udeb), which the installer downloads once it runs (it would stop at \"Download installer components\")", e.getMessage());
        assertTrue(e.hint().startsWith("give a --mirror that serves them"), e.hint());
        noWorkLeft();
    }

    @Test
    void anInReleaseThatListsNoUdebIndexLeavesAWarning() throws Exception {
        publish(archive(), List.of(SUMS));
        InstallerImages.Verified v = run(spec(), false);
        assertEquals(List.of("whether the mirror serves the installer's components (.udeb) is not known: " + mirror
                + "/dists/bookworm/InRelease lists no " + UDEBS), v.warnings());
        assertTrue(logs.stream().anyMatch(l -> l.level() == JxenEvent.Level.WARN && l.text().equals(v.warnings().get(0))), logs.toString());
        assertFalse(requests.contains(ANNA));
    }

    @Test
    void withoutTheKeyringNothingIsFetched() throws Exception {
        publish(archive(), List.of(SUMS, UDEBS));
        ImageSpec spec = spec();
        Files.delete(key.keyring());
        ChainBroken e = assertThrows(ChainBroken.class, () -> run(spec, false));
        assertEquals("stage 'installer images' failed: the archive keyring " + key.keyring() + " is missing: apt-get install debian-archive-keyring, "
                + "or give --keyring", e.getMessage());
        assertEquals(List.of(), requests);
        assertFalse(Files.exists(work), "the check before any stage runs made the work directory");
    }

    @Test
    void whereTheMirrorServesNoImagesTheSameBuildComesFromTheNetbootPackage() throws Exception {
        Map<String, byte[]> files = archive();
        files.remove("dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz");
        files.remove("dists/bookworm/main/installer-amd64/current/images/netboot/xen/initrd.gz");
        byte[] deb = netbootDeb();
        files.put(NETBOOT, deb);
        files.put("dists/bookworm/" + ALL, gzip(stanza("debian-installer-12-netboot-amd64", "20230607+deb12u12", NETBOOT, deb)));
        publish(files, List.of(SUMS, ALL, UDEBS));
        InstallerImages.Verified v = run(spec(), false);
        assertEquals(InstallerImages.Source.PACKAGE, v.source());
        assertEquals(cache.resolve(sha256(genericKernel)), v.kernel());
        assertArrayEquals(genericInitrd, Files.readAllBytes(v.initrd()));
        assertTrue(v.chain().contains("debian-installer-12-netboot-amd64 20230607+deb12u12: SHA-256 " + sha256(deb) + " as Packages.gz lists it"),
                v.chain().toString());
        assertTrue(v.chain().contains("its netboot kernel and initrd (the build images/SHA256SUMS lists; the Xen images are the same kernel "
                + "with the generic netboot initrd)"), v.chain().toString());
        noWorkLeft();
    }

    /** Debian's netboot package, as far as jxen reads it: the text-mode images of one build. */
    private byte[] netbootDeb() throws Exception {
        Path root = tmp.resolve("netboot-pkg");
        Path images = Files.createDirectories(root.resolve("usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64"));
        Files.write(images.resolve("linux"), genericKernel);
        Files.write(images.resolve("initrd.gz"), genericInitrd);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: debian-installer-12-netboot-amd64\nVersion: 20230607+deb12u12\n"
                + "Architecture: all\nMaintainer: Test <test@example.invalid>\nDescription: netboot images\n");
        Path deb = tmp.resolve("netboot.deb");
        Process p = new ProcessBuilder("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(), deb.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(sha256(Files.readAllBytes(deb)), Download.sha256(deb));
        return Files.readAllBytes(deb);
    }

    @Test
    void thePlanNamesTheSuiteTheKeyringAndTheCache() throws Exception {
        publish(archive(), List.of(SUMS, UDEBS));
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new InstallerImagesStage(spec(), cache, work, new ReleaseHistory(tmp.resolve("releases"))));
        List<String> plan = b.build().plan().get(0).actions().stream().map(a -> a.kind() + " " + a.target()).toList();
        assertTrue(plan.get(0).startsWith("note fetch " + mirror + "/dists/bookworm/InRelease; check its signature with gpgv against " + key.keyring()),
                plan.toString());
        assertEquals("create " + cache, plan.get(plan.size() - 1));
        assertEquals(List.of(), requests, "the plan fetched something");
        assertFalse(Files.exists(work), "the plan made the work directory");
    }
}
