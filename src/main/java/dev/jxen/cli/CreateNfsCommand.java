package dev.jxen.cli;

import dev.jxen.error.HostStateException;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.HostLock;
import dev.jxen.xen.XlDomains;
import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLayers;
import dev.jxen.config.ConfigLoader;
import dev.jxen.config.ConfigSources;
import dev.jxen.config.NfsSpec;
import dev.jxen.config.NfsSpecBuilder;
import dev.jxen.render.NfsConfig;
import dev.jxen.system.LocalCommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code jxen-create-nfs}: the .cfg of a guest whose root is on NFS, with xen-create-nfs 4.9.2's
 * options. xen-create-nfs writes xm's keys (nfs_server, nfs_root, ip, ...), which xl does not read, and
 * the memory with its suffix, which xl refuses; jxen writes what xl passes to the guest's kernel.
 */
@Command(name = "create-nfs", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Write the xl .cfg of a Xen guest whose root filesystem is on NFS (xen-create-nfs's options).",
            "The NFS root and the network go on the kernel's command line (root=/dev/nfs nfsroot=SERVER:PATH,vers=N ip=...), "
                + "which is where xl hands them to the guest."},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:written (or shown, with --dry-run)", "1:internal error",
            "2:invalid input: an option, a template, or what a template wrote",
            "3:the .cfg exists and may not be replaced (see --force), the guest runs or its state is unknown, the lock is held, or the directory is missing or not writable"})
public final class CreateNfsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--hostname", paramLabel = "NAME", description = "The guest's name; the .cfg is NAME.cfg.")
    String hostname;
    @Option(names = "--nfs_server", paramLabel = "HOST", description = "The NFS server: an IPv4 address, or a name the dom0 resolves (written as its address).")
    String nfsServer;
    @Option(names = "--nfs_root", paramLabel = "PATH", description = "The exported directory that is the guest's root.")
    String nfsRoot;
    @Option(names = "--dhcp", description = "The guest's kernel takes its address from DHCP (ip=dhcp).")
    boolean dhcp;
    @Option(names = "--ip", paramLabel = "ADDRESS", description = "The guest's IPv4 address (with --netmask and --gateway).")
    String ip;
    @Option(names = "--netmask", paramLabel = "MASK", description = "The netmask of --ip.")
    String netmask;
    @Option(names = "--gateway", paramLabel = "ADDRESS", description = "The default gateway.")
    String gateway;
    @Option(names = "--broadcast", paramLabel = "ADDRESS", description = "Accepted as xen-create-nfs takes it; written nowhere (the kernel's ip= has no "
            + "broadcast field), and a warning says so.")
    String broadcast;
    @Option(names = "--nameserver", paramLabel = "ADDRESSES", description = "One or two name servers, written as ip='s dns0 and dns1.")
    String nameserver;
    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory (M without a suffix; default: xen-tools.conf's memory, else 256M), "
            + "written in MiB as xl reads it.")
    String memory;
    @Option(names = "--mac", paramLabel = "MAC", description = "The vif's MAC address; without it xl makes one at each start, as with xen-create-nfs.")
    String mac;
    @Option(names = "--kernel", paramLabel = "FILE", description = "The guest's kernel on the dom0 (default: xen-tools.conf's kernel); it needs "
            + "NFS-root and ip= support, built in or in --initrd.")
    String kernel;
    @Option(names = "--initrd", paramLabel = "FILE", description = "The guest's initrd on the dom0 (default: xen-tools.conf's initrd).")
    String initrd;
    @Option(names = "--template", paramLabel = "FILE", description = "Template for the .cfg: a FreeMarker NAME.ftl (default: jxen's xl-nfs.cfg.ftl), "
            + "or any other name an xen-tools Text::Template such as /etc/xen-tools/xm-nfs.tmpl, filled as xen-create-nfs fills it.")
    String template;
    @Option(names = "--admins", paramLabel = "USERS", description = "Refused: xen-create-nfs makes dom0 accounts whose shell is xen-shell, "
            + "which Debian no longer ships.")
    String admins;
    @Option(names = "--force", description = "Replace an existing .cfg of the same name (atomically).")
    boolean force;
    @Option(names = "--verbose", description = "Accepted for xen-create-nfs's sake; jxen-create-nfs prints the same either way.")
    boolean verbose;
    @Option(names = "--manual", description = "Print this help and where the full manual is.")
    boolean manual;
    @Option(names = "--dry-run", description = "Print the .cfg that would be written, and write nothing.")
    boolean dryRun;
    @Option(names = "--output", paramLabel = "DIR", description = "Directory of the .cfg (default: xen-tools.conf's output, else /etc/xen).")
    String output;
    @Option(names = "--config-dir", paramLabel = "DIR", description = "Configuration directory instead of /etc/xen-tools.")
    String configDir;
    @Option(names = "--bridge", paramLabel = "BRIDGE", description = "The bridge the guest's vif joins (default: xl's).")
    String bridge;
    @Option(names = "--nfs-version", paramLabel = "N", description = "The NFS version the guest's kernel mounts its root with: 2, 3, 4, 4.0, 4.1, "
            + "4.2 (default: 3).")
    String nfsVersion;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (manual) {
            return Manual.print(spec.commandLine());
        }
        ConfigSources sources = ConfigSources.forProcess(configDir);
        ConfigLayers layers = ConfigLoader.load(sources, new CommandLineLayer().build());
        NfsSpec nfs = new NfsSpecBuilder(typed(), layers, sources, CreateNfsCommand::ipv4Of).build();
        LocalCommandRunner runner = new LocalCommandRunner();
        NfsConfig.Rendered cfg = NfsConfig.render(nfs, sources, runner);
        nfs.warnings().forEach(w -> err.println("warning: " + w));
        cfg.warnings().forEach(w -> err.println("warning: " + w));
        if (nfs.mac() == null) {
            err.println("note: no --mac: xl makes a new MAC address at each start of " + nfs.hostname() + " (as with xen-create-nfs); "
                    + "give --mac for a DHCP reservation");
        }
        if (dryRun) {
            out.println("Dry run: nothing is written. " + nfs.cfg() + (java.nio.file.Files.exists(nfs.cfg()) ? " exists and would be "
                    + (nfs.force() ? "replaced" : "left alone (no --force): the run would stop") : " would be written") + ":");
            out.print(cfg.text());
            out.flush();
            return 0;
        }
        Dom0Paths dom0 = Dom0Paths.fromEnvironment();
        try (HostLock lock = HostLock.acquire(dom0.lockDir(), nfs.hostname().fqdn())) {
            if (java.nio.file.Files.exists(nfs.cfg(), java.nio.file.LinkOption.NOFOLLOW_LINKS) && nfs.force()) {
                NfsConfig.checkReplaceable(nfs, XlDomains.query(runner, dom0));
            }
            NfsConfig.write(nfs, cfg.text());
        } catch (java.io.IOException e) {
            throw new HostStateException("cannot write " + nfs.cfg() + ": " + e.getMessage(), "check that " + nfs.cfg().getParent()
                    + " is a directory root can write, or choose another --output");
        }
        out.println("wrote " + nfs.cfg());
        out.flush();
        return 0;
    }

    /** Each option typed, under xen-create-nfs's name (a flag as "1"). */
    private Map<String, String> typed() {
        Map<String, String> m = new TreeMap<>();
        var parsed = spec.commandLine().getParseResult();
        for (OptionSpec o : spec.options()) {
            if (!parsed.hasMatchedOption(o) || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            String name = o.longestName().replaceFirst("^--", "");
            Object v = o.getValue();
            m.put(name, v instanceof Boolean ? "1" : String.valueOf(v));
        }
        return m;
    }

    /** The dom0's resolver, for a server given by name. */
    static Optional<String> ipv4Of(String name) {
        try {
            return Arrays.stream(InetAddress.getAllByName(name)).filter(a -> a instanceof Inet4Address).map(InetAddress::getHostAddress).findFirst();
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }
}
