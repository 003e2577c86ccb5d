package dev.jxen.install;

import dev.jxen.config.ImageSpec;
import dev.jxen.install.cache.CacheManifest;
import dev.jxen.mirror.MirrorAnswer;
import dev.jxen.mirror.ReleaseProbe;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * What base system a spec asks for: the installer that makes it, whether it comes from the mirror
 * (and through the base-tree cache), and the manifest a cache entry must match to stand for it. The
 * cache stages, the clone of the root and the install all read it from here.
 */
public final class BaseRecipe {
    /** Where the plans name the guest's root, which is mounted only when the run comes. */
    static final Path PLAN_ROOT = Path.of("MOUNTPOINT");

    private BaseRecipe() {
    }

    /** True when this spec installs from a mirror, which is then checked first, and the base can come from the cache. */
    public static boolean fromMirror(ImageSpec spec) {
        return spec.install().enabled() && spec.install().mirror().isPresent() && spec.install().method() != ImageSpec.InstallMethod.INSTALLER
                && installer(spec, BaseRecipe::unread, null).cacheable();
    }

    /** True when the base comes from the mirror through the base-tree cache: looked up first, stored after. */
    public static boolean cached(ImageSpec spec) {
        return fromMirror(spec) && spec.install().caches().base();
    }

    /**
     * The installer of this spec; {@code versions} tells an installer's package version, which is part of
     * the cache key; {@code prefetch} is jxen's mmdebstrap hooks that download while it installs, or null.
     */
    static Installer installer(ImageSpec spec, Function<String, String> versions, Path prefetch) {
        return switch (spec.install().method()) {
            case MMDEBSTRAP -> new MmdebstrapInstaller(versions.apply("mmdebstrap"), prefetch);
            case TAR -> new TarInstaller();
            case COPY -> new CopyInstaller();
            case DEBOOTSTRAP -> new DebootstrapInstaller(versions.apply("debootstrap"));
            case INSTALLER -> throw new IllegalStateException("the Debian Installer route has no base install stage");
        };
    }

    /** The installer as a plan names it: its version is read when it runs. */
    static Installer planned(ImageSpec spec, Path prefetch) {
        return installer(spec, BaseRecipe::unread, prefetch);
    }

    /** The installer as it runs, its version read from dpkg. */
    static Installer installed(ImageSpec spec, StageContext ctx, Path prefetch) {
        return installer(spec, pkg -> packageVersion(ctx, pkg), prefetch);
    }

    private static String unread(String pkg) {
        return "(version read when it runs)";
    }

    private static String packageVersion(StageContext ctx, String pkg) {
        var r = ctx.tryRun(Command.of("dpkg-query", "-W", "-f", "${Version}", pkg).capturing().withTimeout(Duration.ofSeconds(30)));
        return r.ok() && !r.stdout().isBlank() ? r.stdout().strip() : "unknown";
    }

    /** What a cache entry for this spec must match: release, installer, packages, mirror and its Release file. */
    static CacheManifest manifest(ImageSpec spec, Installer installer, MirrorAnswer checked) {
        var in = spec.install();
        ReleaseProbe.Release release = checked.release();
        return new CacheManifest(in.dist(), in.arch(), installer.identity(), "default", in.extraPackages(),
                checked.mirror(), release.date(), release.sha256(), in.keyring());
    }
}
