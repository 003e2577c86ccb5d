package dev.jxen.config;

import dev.jxen.config.ImageSpec.InstallSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The install part of the spec: release, architecture, mirror (given or guessed), method and caches. */
final class InstallSpecBuilder {
    private static final Pattern ARCH = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private final SettingReader r;
    private final ConfigSources sources;
    private final Dom0Facts dom0;

    InstallSpecBuilder(SettingReader r, ConfigSources sources, Dom0Facts dom0) {
        this.r = r;
        this.sources = sources;
        this.dom0 = dom0;
    }

    /** Settings only debootstrap uses: one of them set keeps the default method debootstrap. */
    private static final List<String> DEBOOTSTRAP_SETTINGS = List.of("debootstrap-cmd", "cache", "cachedir");

    /** Whether the setting is given and asks for what only debootstrap does: cache = no asks for nothing. */
    private static boolean asksForDebootstrap(SettingReader r, String key) {
        return r.layers().layerOf(key).isPresent() && !(key.equals("cache") && r.value("cache").equalsIgnoreCase("no"));
    }

    /** --dist, else the release the dom0 follows when it is one of distributions.conf. */
    private static Optional<String> distName(SettingReader r, Distributions dists, Dom0Facts dom0) {
        return r.text("dist").or(() -> dom0.suite(dists.all().stream().map(Distributions.Distribution::name)
                .collect(java.util.stream.Collectors.toSet())));
    }

    /** @param boot how the guest boots: with a kernel of its own, it gets one installed */
    InstallSpec build(ImageSpec.Boot boot) {
        boolean enabled = r.flag("install");
        Distributions dists = Distributions.read(sources.distributionsConfig());
        String dist = distName(r, dists, dom0).orElse(null);
        if (dist == null) {
            r.problem("no distribution: give --dist (for example bookworm); the dom0's apt sources name none jxen can use");
        }
        String family = "debian";
        if (dist != null) {
            var d = dists.get(dist);
            if (d.isEmpty()) {
                r.problem((r.layers().get("dist").isPresent() ? r.where("dist") : "dist " + dist + " (from the dom0's apt sources)")
                        + ": unknown distribution; known ones are listed in " + dists.source());
            } else {
                family = d.get().family();
                if (!family.equals("debian") && !family.equals("ubuntu")) {
                    r.problem(r.where("dist") + ": jxen installs Debian and Ubuntu only");
                }
            }
        }
        String arch = r.text("arch").orElseGet(dom0::arch);
        if (!ARCH.matcher(arch).matches()) {
            r.problem(r.where("arch") + ": not a Debian architecture name such as amd64 or arm64");
        }
        Optional<String> mirror = r.text("mirror");
        mirror.ifPresent(m -> r.checkUrl("mirror", m, Set.of("http", "https", "file", "ftp")));
        String mirrorOrigin = mirror.isPresent() ? r.where("mirror") : null;
        Optional<String> givenMethod = r.text("install-method");
        Optional<String> forDebootstrap = DEBOOTSTRAP_SETTINGS.stream().filter(k -> asksForDebootstrap(r, k)).findFirst();
        boolean mmdebstrap = givenMethod.isEmpty() && forDebootstrap.isEmpty() && dom0.has("mmdebstrap");
        Optional<ImageSpec.InstallMethod> known = givenMethod.isPresent() ? ImageSpec.InstallMethod.of(givenMethod.get())
                : Optional.of(mmdebstrap ? ImageSpec.InstallMethod.MMDEBSTRAP : ImageSpec.InstallMethod.DEBOOTSTRAP);
        givenMethod.filter(m -> known.isEmpty()).ifPresent(m -> r.problem(r.where("install-method")
                + (Set.of("cdebootstrap", "rinse", "rpmstrap").contains(m)
                        ? ": not supported by jxen; use debootstrap or mmdebstrap (Debian, Ubuntu), tar, copy or installer"
                        : ": unknown method; use debootstrap, mmdebstrap, tar, copy or installer")));
        ImageSpec.InstallMethod method = known.orElse(ImageSpec.InstallMethod.DEBOOTSTRAP);
        String methodWhy = givenMethod.isPresent() ? "as " + r.where("install-method") + " says"
                : forDebootstrap.isPresent() ? "no install-method is set, and " + r.where(forDebootstrap.get()) + " is a debootstrap setting"
                : mmdebstrap ? "no install-method is set and mmdebstrap is installed: the same base system in about half of debootstrap's time"
                : "no install-method is set and mmdebstrap is not installed (apt-get install mmdebstrap installs in about half the time)";
        boolean bootstraps = known.isPresent() && method.needsMirror();
        if (mirror.isEmpty() && bootstraps && enabled && dist != null) {
            String fam = family;
            Set<String> releases = dists.all().stream().filter(x -> x.family().equals(fam))
                    .map(Distributions.Distribution::name).collect(java.util.stream.Collectors.toSet());
            Optional<Dom0Facts.Guess> guess = dom0.mirror(releases);
            if (guess.isPresent()) {
                mirror = Optional.of(guess.get().value());
                mirrorOrigin = "guessed from the dom0's apt sources (" + guess.get().origin() + ")";
            } else {
                r.problem("no mirror for " + family + ": give --mirror URL (or mirror = URL in xen-tools.conf); "
                        + "the dom0's apt sources name no " + family + " mirror");
            }
        }
        String source = r.text("install-source").orElse(null);
        if (known.isPresent()) {
            checkSource(r, method, source, family, dist, mirror, boot);
        }
        String installer = r.text("debootstrap-cmd").orElse(null);
        if (installer != null && !installer.matches("[A-Za-z0-9_./+-]+")) {
            r.problem(r.where("debootstrap-cmd") + ": must be a command name or path");
        }
        String keyring = r.text("keyring").orElse(null);
        if (keyring != null && !Files.isRegularFile(Path.of(keyring))) {
            r.problem(r.where("keyring") + ": no such keyring file");
        }
        String cache = r.value("cache").toLowerCase(Locale.ROOT);
        if (!cache.equals("yes") && !cache.equals("no")) {
            r.problem(r.where("cache") + ": must be 'yes' or 'no'");
        }
        Path cachedir = r.path("cachedir");
        Optional<String> proxy = r.text("apt_proxy");
        proxy.ifPresent(p -> r.checkUrl("apt_proxy", p, Set.of("http", "https")));
        boolean baseCache = r.flag("base-cache");
        Path baseCacheDir = r.path("base-cache-dir");
        if (baseCacheDir != null && Files.exists(baseCacheDir) && !Files.isDirectory(baseCacheDir)) {
            r.problem(r.where("base-cache-dir") + ": is not a directory");
        }
        Size baseCacheMax = r.size("base-cache-max", false);
        // locales: the dom0's locales are generated in every guest, as xen-tools' 95-configure-locales does
        List<String> packages = new ArrayList<>(List.of("openssh-server", "locales"));
        if (boot.path().guestKernel()) {
            packages.add(kernelPackage(arch, family));
        }
        if (boot.path() == ImageSpec.BootPath.PVGRUB2 && boot.type() == ImageSpec.GuestType.PV) {
            // the boot-menu hook unpacks zstd-compressed kernels (trixie's, and a bookworm guest's after an upgrade) for GRUB
            packages.add("zstd");
        }
        if (enabled && method == ImageSpec.InstallMethod.COPY && source != null && boot.path().guestKernel() && !hasKernel(Path.of(source))) {
            r.problem(r.where("install-source") + ": has no kernel in boot/, and " + boot.path().key() + " boots the guest's own; "
                    + "copy a tree with a kernel, or boot a dom0 kernel with --kernel");
        }
        if (enabled && method != ImageSpec.InstallMethod.DEBOOTSTRAP) {
            for (String key : DEBOOTSTRAP_SETTINGS) {
                if (asksForDebootstrap(r, key)) {
                    r.warn(r.where(key) + ": not used with --install-method=" + method.key() + " (only debootstrap "
                            + (key.equals("debootstrap-cmd") ? "runs it" : "keeps downloaded .debs") + "); ignored");
                }
            }
        }
        return new InstallSpec(enabled, dist == null ? "" : dist, family, arch, mirror, mirrorOrigin, method, methodWhy, source, installer, keyring,
                proxy, new InstallSpec.Caches(cache.equals("yes"), cachedir, baseCache, baseCacheDir, baseCacheMax), List.copyOf(packages));
    }

    private static boolean hasKernel(Path tree) {
        try (var s = Files.newDirectoryStream(tree.resolve("boot"), "vmlinuz-*")) {
            return s.iterator().hasNext();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String kernelPackage(String arch, String family) {
        if (family.equals("ubuntu")) {
            return "linux-image-virtual";
        }
        return switch (arch) {
            case "i386" -> "linux-image-686-pae";
            default -> "linux-image-" + arch;
        };
    }
    /** What each method asks of --install-source, the release, the mirror and the boot path. */
    private static void checkSource(SettingReader r, ImageSpec.InstallMethod method, String source, String family, String dist,
                                    Optional<String> mirror, ImageSpec.Boot boot) {
        switch (method) {
            case DEBOOTSTRAP, MMDEBSTRAP -> {
                if (source != null) {
                    r.problem(r.where("install-source") + ": --install-source is only for --install-method tar or copy");
                }
            }
            case TAR -> {
                if (source == null) {
                    r.problem(r.where("install-method") + ": the tar method needs --install-source=TARBALL");
                } else if (!Files.isRegularFile(Path.of(source))) {
                    r.problem(r.where("install-source") + ": no such tarball");
                }
            }
            case COPY -> {
                if (source == null) {
                    r.problem(r.where("install-method") + ": the copy method needs --install-source=DIRECTORY");
                } else if (!Files.isDirectory(Path.of(source))) {
                    r.problem(r.where("install-source") + ": no such directory");
                }
            }
            case INSTALLER -> {
                if (source != null) {
                    r.problem(r.where("install-source") + ": --install-source is only for --install-method tar or copy");
                }
                if (!family.equals("debian")) {
                    r.problem(r.where("install-method") + ": the installer route runs the Debian Installer, and " + dist + " is not Debian");
                }
                mirror.filter(m -> !m.startsWith("http://") && !m.startsWith("https://")).ifPresent(m -> r.problem(r.where("install-method")
                        + ": the Debian Installer fetches its packages over http or https, and the mirror is " + m + "; give an http:// --mirror"));
                if (boot.path() == ImageSpec.BootPath.DOM0_KERNEL) {
                    r.problem(r.where("install-method") + ": the Debian Installer installs the guest's own kernel and GRUB, which pygrub or pvgrub2 boots; "
                            + "a dom0 kernel (--kernel) cannot boot it: drop --kernel, or use --boot-path pygrub");
                }
            }
        }
    }
}
