package dev.jxen.installer;

import dev.jxen.config.ImageSpec;
import dev.jxen.mirror.Download;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.SystemUndo;
import dev.jxen.system.ToolCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.jxen.mirror.ReleaseHistory;
import java.util.List;

/**
 * Fetches the Debian Installer's kernel and initrd for the guest's release and checks them along the
 * archive's chain ({@link InstallerImages}); what is verified is kept in the cache by hash.
 */
public final class InstallerImagesStage implements Stage<InstallerImages.Verified> {
    public static final Path DEBIAN_KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    private static final int TIMEOUT_SECONDS = 60;

    private final ImageSpec spec;
    private final Path cacheDir;
    private final Path workDir;
    private final ReleaseHistory history;

    /** @param workDir where the downloads are checked before they are kept (a private directory is made in it) */
    public InstallerImagesStage(ImageSpec spec, Path cacheDir, Path workDir, ReleaseHistory history) {
        this.history = history;
        this.spec = spec;
        this.cacheDir = cacheDir;
        this.workDir = workDir;
    }

    Path keyring() {
        return spec.install().keyring() != null ? Path.of(spec.install().keyring()) : DEBIAN_KEYRING;
    }

    private InstallerImages images() {
        var in = spec.install();
        return new InstallerImages(in.mirror().orElseThrow(), in.dist(), in.arch(), keyring(), cacheDir,
                new Download(in.aptProxy(), TIMEOUT_SECONDS), null, history);
    }

    @Override
    public String name() {
        return "installer images";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        var in = spec.install();
        String suite = images().suiteUrl();
        return List.of(
                PlannedAction.note("fetch " + suite + "InRelease; check its signature with gpgv against " + keyring()
                        + "; refuse it unless its Codename or Suite is " + in.dist() + ", it has not expired, and it is not older than one seen before"),
                PlannedAction.note("fetch " + suite + InstallerImages.sumsPath(in.arch()) + "; check its SHA-256 and size against InRelease"),
                PlannedAction.note("fetch netboot/xen/vmlinuz and netboot/xen/initrd.gz; check each SHA-256 against SHA256SUMS"),
                PlannedAction.note("where the mirror does not serve images/: main/binary-all/Packages.gz checked against InRelease, "
                        + "the package debian-installer-NN-netboot-" + in.arch() + " against Packages.gz, unpacked with dpkg-deb"),
                PlannedAction.note("fetch main/debian-installer/binary-" + in.arch() + "/Packages.gz (checked against InRelease) and the "
                        + "installer's downloader anna from it: a mirror that does not serve the installer's components is refused here"),
                PlannedAction.create(cacheDir.toString(), "the verified kernel and initrd, named by their SHA-256; taken from there when present"));
    }

    @Override
    public void verify() {
        ToolCheck.require("gpgv", "to check the signature of the release's InRelease");
        ToolCheck.require("dpkg-deb", "to unpack the installer's package where the mirror serves no images/");
        if (!Files.isRegularFile(keyring())) {
            throw new ChainBroken("the archive keyring " + keyring() + " is missing: apt-get install debian-archive-keyring, or give --keyring");
        }
    }

    @Override
    public InstallerImages.Verified run(StageContext ctx) throws Exception {
        Files.createDirectories(workDir);
        Path work = Files.createTempDirectory(workDir, "installer-images-");
        ctx.undo().cleanup(new SystemUndo.RemoveTree(work));
        var in = spec.install();
        InstallerImages images = new InstallerImages(in.mirror().orElseThrow(), in.dist(), in.arch(), keyring(), cacheDir,
                new Download(in.aptProxy(), TIMEOUT_SECONDS), ctx.runner(), history);
        ctx.info("fetching the installer for " + in.dist() + "/" + in.arch() + " from " + images.suiteUrl());
        InstallerImages.Verified v = images.fetch(work);
        for (String link : v.chain()) {
            ctx.info(link);
        }
        v.warnings().forEach(ctx::warn);
        ctx.info("installer kernel " + v.kernel().getFileName() + ", initrd " + v.initrd().getFileName() + " (" + v.source().name().toLowerCase() + ")");
        return v;
    }
}
