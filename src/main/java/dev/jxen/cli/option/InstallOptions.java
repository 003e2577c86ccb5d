package dev.jxen.cli.option;

import picocli.CommandLine.Option;

/** The base install. */
public class InstallOptions {
    @Option(names = "--hostname", paramLabel = "NAME", description = "The guest's host name, ideally fully qualified.") public String hostname;
    @Option(names = "--dist", completionCandidates = Candidates.Dists.class, paramLabel = "RELEASE", description = "Release to install (default: the dom0's own).") public String dist;
    @Option(names = "--arch", paramLabel = "ARCH", description = "Architecture (default: the dom0's).") public String arch;
    @Option(names = "--mirror", paramLabel = "URL", description = "Mirror to install from (default: from the dom0's apt sources).") public String mirror;
    @Option(names = "--install-method", completionCandidates = Candidates.InstallMethods.class, paramLabel = "METHOD", description = "debootstrap (default), mmdebstrap, tar or copy.") public String installMethod;
    @Option(names = "--install-source", paramLabel = "PATH", description = "Tarball (tar) or directory (copy) to install from.") public String installSource;
    @Option(names = "--debootstrap-cmd", paramLabel = "CMD", description = "debootstrap command to run.") public String debootstrapCmd;
    @Option(names = "--keyring", paramLabel = "FILE", description = "Keyring that debootstrap checks the mirror with.") public String keyring;
    @Option(names = "--cache", paramLabel = "yes|no", description = "Keep downloaded .debs in --cachedir (default yes).") public String cache;
    @Option(names = "--cachedir", paramLabel = "DIR", description = ".deb cache (default /var/cache/apt/archives).") public String cachedir;
    @Option(names = "--apt_proxy", paramLabel = "URL", description = "HTTP proxy for the install and the guest's apt.") public String aptProxy;
    @Option(names = "--kernel", paramLabel = "FILE", description = "dom0 kernel to boot the guest with.") public String kernel;
    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk for --kernel.") public String initrd;
    @Option(names = "--modules", paramLabel = "DIR", description = "Kernel modules to copy into the guest.") public String modules;
    @Option(names = "--pygrub", description = "Boot the guest's own kernel with pygrub (--nopygrub to turn off).") public boolean pygrub;
    @Option(names = {"--nopygrub", "--no-pygrub"}, hidden = true) public boolean nopygrub;
}
