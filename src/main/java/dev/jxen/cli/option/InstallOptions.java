package dev.jxen.cli.option;

import picocli.CommandLine.Option;

/** The base install. */
public class InstallOptions {
    @Option(names = "--hostname", paramLabel = "NAME") public String hostname;
    @Option(names = "--dist", completionCandidates = Candidates.Dists.class, paramLabel = "RELEASE") public String dist;
    @Option(names = "--arch", paramLabel = "ARCH") public String arch;
    @Option(names = "--mirror", paramLabel = "URL") public String mirror;
    @Option(names = "--install-method", completionCandidates = Candidates.InstallMethods.class, paramLabel = "METHOD") public String installMethod;
    @Option(names = "--install-source", paramLabel = "PATH") public String installSource;
    @Option(names = "--debootstrap-cmd", paramLabel = "CMD") public String debootstrapCmd;
    @Option(names = "--keyring", paramLabel = "FILE") public String keyring;
    @Option(names = "--cache", paramLabel = "yes|no") public String cache;
    @Option(names = "--cachedir", paramLabel = "DIR") public String cachedir;
    @Option(names = "--apt_proxy", paramLabel = "URL") public String aptProxy;
    @Option(names = "--kernel", paramLabel = "FILE") public String kernel;
    @Option(names = "--initrd", paramLabel = "FILE") public String initrd;
    @Option(names = "--modules", paramLabel = "DIR") public String modules;
    @Option(names = "--pygrub") public boolean pygrub;
    @Option(names = {"--nopygrub", "--no-pygrub"}, hidden = true) public boolean nopygrub;
    @Option(names = "--boot-path", completionCandidates = Candidates.BootPaths.class, paramLabel = "HOW") public String bootPath;
    @Option(names = "--type", completionCandidates = Candidates.GuestTypes.class, paramLabel = "pv|pvh") public String type;
}
