package dev.jxen.installer;

import dev.jxen.installer.SignedRelease.Expected;
import dev.jxen.mirror.ReleaseHistory;

import java.time.Instant;
import dev.jxen.mirror.Download;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The kernel and initrd Debian publishes for installing a Xen guest ({@code images/netboot/xen/}),
 * from the guest's mirror, checked along the archive's chain as apt checks packages: the signature
 * of {@code InRelease} against the archive keyring, the hash of {@code images/SHA256SUMS} from it,
 * each file's hash from that. Where the mirror does not serve {@code images/}, the same build comes
 * from Debian's package of the netboot images ({@code debian-installer-NN-netboot-ARCH}), its
 * {@code Packages.gz} checked against {@code InRelease} and the package against {@code Packages.gz}.
 * Verified files are kept in the cache under their SHA-256.
 */
public final class InstallerImages {
    private static final long MAX_INDEX = 64L << 20;
    private static final long MAX_IMAGE = 512L << 20;

    /** Where the files came from. */
    public enum Source { IMAGES, PACKAGE, CACHE }

    /**
     * @param chain    what was checked, link by link, for the plan and the log
     * @param warnings what could not be checked (the installer may stop later for it)
     */
    public record Verified(Path kernel, Path initrd, Source source, List<String> chain, List<String> warnings) {
    }

    private final String mirror;
    private final String dist;
    private final String arch;
    private final Path keyring;
    private final Path cacheDir;
    private final ReleaseHistory history;
    private final Download download;
    private final CommandRunner runner;

    public InstallerImages(String mirror, String dist, String arch, Path keyring, Path cacheDir, Download download, CommandRunner runner,
                           ReleaseHistory history) {
        this.history = history;
        this.mirror = mirror.replaceAll("/+$", "");
        this.dist = dist;
        this.arch = arch;
        this.keyring = keyring;
        this.cacheDir = cacheDir;
        this.download = download;
        this.runner = runner;
    }

    public String suiteUrl() {
        return mirror + "/dists/" + dist + "/";
    }

    public static String sumsPath(String arch) {
        return "main/installer-" + arch + "/current/images/SHA256SUMS";
    }

    /**
     * Fetches and checks, in the private directory {@code work}; then checks that the mirror serves
     * the installer's components (the .udeb packages it downloads once it runs).
     */
    public Verified fetch(Path work) throws IOException {
        List<String> chain = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Images images = images(work, chain);
        componentsServed(images.release(), work, chain, warnings);
        return new Verified(images.kernel(), images.initrd(), images.source(), chain, warnings);
    }

    /** The kernel and initrd only, fetched and checked as {@link #fetch} does, without the check of the components. */
    public Verified fetchImages(Path work) throws IOException {
        List<String> chain = new ArrayList<>();
        Images images = images(work, chain);
        return new Verified(images.kernel(), images.initrd(), images.source(), chain, List.of());
    }

    private record Images(Path kernel, Path initrd, Source source, SignedRelease release) {
    }

    /**
     * The installer downloads the rest of itself from the mirror: a mirror (or a proxy) that passes
     * the pool's .deb files but not its .udeb files lets it boot and stops it there. Its own
     * downloader, anna, is fetched as it would fetch it; a refusal is certain failure, so the create
     * stops; an index that cannot be had leaves it unknown, which is said.
     */
    void componentsServed(SignedRelease release, Path work, List<String> chain, List<String> warnings) throws IOException {
        String indexPath = "main/debian-installer/binary-" + arch + "/Packages.gz";
        Optional<Expected> wanted = release.sha256(indexPath);
        String unknown = "whether the mirror serves the installer's components (.udeb) is not known: ";
        if (wanted.isEmpty()) {
            warnings.add(unknown + release.url() + " lists no " + indexPath);
            return;
        }
        Download.Fetched index;
        try {
            index = download.fetch(suiteUrl() + indexPath, MAX_INDEX, work.resolve("udebs.gz"));
        } catch (Download.NotServed e) {
            warnings.add(unknown + e.getMessage());
            return;
        }
        check(index, wanted.get().sha256(), wanted.get().size(), suiteUrl() + indexPath, "the signed " + release.url());
        PackageIndex.Stanza anna = new PackageIndex(gunzip(index.file(), indexPath)).find("anna")
                .orElseThrow(() -> new ChainBroken(indexPath + " lists no anna, the installer's downloader"));
        String url = mirror + "/" + anna.filename();
        try {
            check(download.fetch(url, anna.size(), work.resolve("anna.udeb")), anna.sha256(), anna.size(), url, indexPath);
        } catch (Download.NotServed e) {
            throw new dev.jxen.error.StageFailedException("installer images", e.getMessage() + ": this mirror does not serve the installer's "
                    + "components (.udeb), which the installer downloads once it runs (it would stop at \"Download installer components\")",
                    "give a --mirror that serves them: a full Debian mirror does; some mirrors and proxies pass only the .deb files", null);
        }
        chain.add("the installer's components: " + anna.filename() + " served, SHA-256 as " + indexPath + " lists it");
    }

    private static String gunzip(Path gz, String name) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            byte[] bytes = in.readNBytes((int) (4 * MAX_INDEX) + 1);
            if (bytes.length > 4 * MAX_INDEX) {
                throw new ChainBroken(name + " unpacks to more than " + (4 * MAX_INDEX >> 20) + " MiB; refused");
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Images images(Path work, List<String> chain) throws IOException {
        String inReleaseUrl = suiteUrl() + "InRelease";
        Download.Fetched in = download.fetch(inReleaseUrl, 16L << 20, work.resolve("InRelease"));
        SignedRelease release = SignedRelease.verify(inReleaseUrl, in.file(), keyring, work, runner);
        chain.add(inReleaseUrl + ": signature good against " + keyring);
        release.requireRelease(dist, suiteUrl(), history, Instant.now());
        chain.add(inReleaseUrl + ": the Release of " + dist + ", current, and not older than any jxen saw there");
        String sumsPath = sumsPath(arch);
        Expected sumsWanted = release.sha256(sumsPath)
                .orElseThrow(() -> new ChainBroken(inReleaseUrl + " lists no " + sumsPath + ": " + dist + " has no installer for " + arch));
        Download.Fetched sumsFile = download.fetch(suiteUrl() + sumsPath, MAX_INDEX, work.resolve("SHA256SUMS"));
        check(sumsFile, sumsWanted.sha256(), sumsWanted.size(), suiteUrl() + sumsPath, "the signed " + inReleaseUrl);
        chain.add(sumsPath + ": SHA-256 " + sumsWanted.sha256() + " as InRelease lists it");
        Sha256Sums sums = new Sha256Sums(Files.readString(sumsFile.file()));
        String kernelPath = "./netboot/xen/vmlinuz";
        String initrdPath = "./netboot/xen/initrd.gz";
        String kernelHash = sums.of(kernelPath).orElseThrow(() -> new ChainBroken(sumsPath + " lists no " + kernelPath));
        String initrdHash = sums.of(initrdPath).orElseThrow(() -> new ChainBroken(sumsPath + " lists no " + initrdPath));
        if (cached(kernelHash) && cached(initrdHash)) {
            chain.add("kernel " + kernelHash + " and initrd " + initrdHash + " from the cache " + cacheDir + ", kept there under those hashes");
            return new Images(cacheDir.resolve(kernelHash), cacheDir.resolve(initrdHash), Source.CACHE, release);
        }
        String images = suiteUrl() + sumsPath.substring(0, sumsPath.length() - "SHA256SUMS".length());
        try {
            Path kernel = fetchChecked(images + kernelPath.substring(2), kernelHash, work.resolve("vmlinuz"), sumsPath);
            Path initrd = fetchChecked(images + initrdPath.substring(2), initrdHash, work.resolve("initrd.gz"), sumsPath);
            chain.add("netboot/xen/vmlinuz and initrd.gz: SHA-256 as SHA256SUMS lists them");
            return new Images(keep(kernel, kernelHash), keep(initrd, initrdHash), Source.IMAGES, release);
        } catch (Download.NotServed e) {
            chain.add(e.getMessage() + ": the mirror does not serve images/");
            String genericKernel = sums.of("./netboot/debian-installer/" + arch + "/linux").orElse("");
            String genericInitrd = sums.of("./netboot/debian-installer/" + arch + "/initrd.gz").orElse("");
            if (cached(genericKernel) && cached(genericInitrd)) {
                chain.add("the netboot kernel " + genericKernel + " and initrd " + genericInitrd + " that SHA256SUMS lists, from the cache " + cacheDir);
                return new Images(cacheDir.resolve(genericKernel), cacheDir.resolve(genericInitrd), Source.CACHE, release);
            }
            chain.add("taking the same build from Debian's package of the netboot images");
            return fromPackage(release, sums, work, chain);
        }
    }

    private Images fromPackage(SignedRelease release, Sha256Sums sums, Path work, List<String> chain) throws IOException {
        String indexPath = "main/binary-all/Packages.gz";
        Expected indexWanted = release.sha256(indexPath)
                .orElseThrow(() -> new ChainBroken(release.url() + " lists no " + indexPath));
        Download.Fetched index = download.fetch(suiteUrl() + indexPath, MAX_INDEX, work.resolve("Packages.gz"));
        check(index, indexWanted.sha256(), indexWanted.size(), suiteUrl() + indexPath, "the signed " + release.url());
        chain.add(indexPath + ": SHA-256 " + indexWanted.sha256() + " as InRelease lists it");
        String text = gunzip(index.file(), indexPath);
        String pattern = "debian-installer-\\d+-netboot-" + java.util.regex.Pattern.quote(arch);
        PackageIndex.Stanza pkg = new PackageIndex(text).find(pattern)
                .orElseThrow(() -> new ChainBroken(indexPath + " has no package debian-installer-NN-netboot-" + arch));
        Path deb = work.resolve("netboot.deb");
        Download.Fetched fetched = download.fetch(mirror + "/" + pkg.filename(), pkg.size(), deb);
        check(fetched, pkg.sha256(), pkg.size(), mirror + "/" + pkg.filename(), indexPath);
        chain.add(pkg.name() + " " + pkg.version() + ": SHA-256 " + pkg.sha256() + " as Packages.gz lists it");
        Path tree = work.resolve("netboot");
        Files.createDirectories(tree);
        CommandResult x = runner.run(Command.of("dpkg-deb", "-x", deb.toString(), tree.toString()).capturing().withLabel("dpkg-deb"), l -> { });
        if (!x.ok()) {
            throw new IOException("dpkg-deb -x " + deb + " failed: " + String.join(" / ", x.tail()));
        }
        Path text2 = only(tree.resolve("usr/lib/debian-installer/images"), "text/debian-installer/" + arch);
        Path kernel = text2.resolve("linux");
        Path initrd = text2.resolve("initrd.gz");
        for (Path p : List.of(kernel, initrd)) {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new ChainBroken(pkg.name() + " holds no " + tree.relativize(p));
            }
        }
        String kernelHash = Download.sha256(kernel);
        String initrdHash = Download.sha256(initrd);
        boolean sameBuild = sums.of("./netboot/debian-installer/" + arch + "/linux").orElse("").equals(kernelHash)
                && sums.of("./netboot/debian-installer/" + arch + "/initrd.gz").orElse("").equals(initrdHash);
        chain.add("its netboot kernel and initrd (" + (sameBuild ? "the build images/SHA256SUMS lists" : "another build than images/current")
                + "; the Xen images are the same kernel with the generic netboot initrd)");
        return new Images(keep(kernel, kernelHash), keep(initrd, initrdHash), Source.PACKAGE, release);
    }

    /** The one directory {@code images/VERSION/ARCH/<under>} of the package. */
    private Path only(Path images, String under) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(images, LinkOption.NOFOLLOW_LINKS)) {
            try (var versions = Files.list(images)) {
                for (Path v : versions.toList()) {
                    Path p = v.resolve(arch).resolve(under);
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        found.add(p);
                    }
                }
            }
        }
        if (found.size() != 1) {
            throw new ChainBroken("the netboot package holds " + found.size() + " sets of images for " + arch + " instead of one");
        }
        return found.get(0);
    }

    private Path fetchChecked(String url, String sha256, Path to, String listedIn) throws IOException {
        Download.Fetched f = download.fetch(url, MAX_IMAGE, to);
        check(f, sha256, -1, url, listedIn);
        return f.file();
    }

    private static void check(Download.Fetched f, String sha256, long size, String url, String listedIn) {
        if (size >= 0 && f.bytes() != size) {
            throw new ChainBroken(url + " is " + f.bytes() + " bytes, but " + listedIn + " says " + size);
        }
        if (!f.sha256().equals(sha256)) {
            throw new ChainBroken(url + " has SHA-256 " + f.sha256() + ", but " + listedIn + " says " + sha256);
        }
    }

    private boolean cached(String sha256) throws IOException {
        if (!sha256.matches("[0-9a-f]{64}")) {
            return false;
        }
        Path p = cacheDir.resolve(sha256);
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Download.sha256(p).equals(sha256);
    }

    /** Moves a checked file into the cache under its hash (atomically, so a reader never sees half of one). */
    private Path keep(Path file, String sha256) throws IOException {
        Files.createDirectories(cacheDir);
        Path to = cacheDir.resolve(sha256);
        Path staging = cacheDir.resolve("." + sha256 + "." + ProcessHandle.current().pid());
        Files.copy(file, staging, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staging, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return to;
    }
}
