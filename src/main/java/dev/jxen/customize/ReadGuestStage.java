package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.error.StageFailedException;
import dev.jxen.guest.GuestRoot;
import dev.jxen.mirror.AptSource;
import dev.jxen.mirror.AptSources;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.GuestDisk;
import dev.jxen.storage.GuestDisks;
import dev.jxen.storage.MountedRoot;
import dev.jxen.xen.DomUConfigFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For an update: what a stopped guest says about itself, so that its hooks and roles see it as it
 * is: its release from its /etc/os-release, its network from /etc/network/interfaces or its
 * systemd-networkd files and its .cfg, its mirror from its apt sources, its disks from its .cfg and
 * fstab. Every file is the guest's, so it is read inside the guest and bounded, and every value that
 * reaches the hooks' environment is checked.
 */
public final class ReadGuestStage implements Stage<GuestFacts> {
    private static final long MAX_FILE = 256 << 10;
    private static final Pattern RELEASE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]{2,45}(/[0-9]{1,3})?");
    private static final Pattern URI = Pattern.compile("(https?|ftp|file)://[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]{1,500}");
    private final String hostname;
    private final Path cfg;
    private final String distGiven;
    private final String dom0Arch;
    private final Map<String, String> settings;
    private final StageResult<MountedRoot> mounted;
    private final StageResult<GuestDisks> disks;

    /**
     * @param distGiven the release given with --dist, which wins over the guest's word; or null
     * @param dom0Arch  the architecture to report when the guest does not name its own
     * @param settings  the configuration's keys, for the hooks' environment
     */
    public ReadGuestStage(String hostname, Path cfg, String distGiven, String dom0Arch, Map<String, String> settings,
                          StageResult<MountedRoot> mounted, StageResult<GuestDisks> disks) {
        this.hostname = hostname;
        this.cfg = cfg;
        this.distGiven = distGiven;
        this.dom0Arch = dom0Arch;
        this.settings = Map.copyOf(settings);
        this.mounted = mounted;
        this.disks = disks;
    }

    @Override
    public String name() {
        return "read guest";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(PlannedAction.note("read the guest's release from its /etc/os-release" + (distGiven != null ? " (--dist " + distGiven + " wins)" : "")
                + ", its network from its /etc/network/interfaces or systemd-networkd files and " + cfg
                + ", its mirror from its apt sources: all inside the guest, as untrusted data"));
    }

    @Override
    public GuestFacts run(StageContext ctx) throws Exception {
        GuestRoot g = GuestRoot.at(ctx.get(mounted).root());
        Map<String, String> os = keyValues(g.readString("etc/os-release", MAX_FILE).orElse(""));
        String dist = distGiven != null ? distGiven : os.getOrDefault("VERSION_CODENAME", "");
        if (!RELEASE.matcher(dist).matches()) {
            throw new StageFailedException(name(), "cannot tell the guest's release: its /etc/os-release names "
                    + (dist.isEmpty() ? "no VERSION_CODENAME" : "'" + printable(dist) + "'"), "give its release with --dist", null);
        }
        String id = os.getOrDefault("ID", "");
        String family = id.equals("ubuntu") || os.getOrDefault("ID_LIKE", "").contains("ubuntu") ? "ubuntu" : "debian";
        String arch = g.readString("var/lib/dpkg/arch", 4096).flatMap(s -> s.lines().findFirst()).map(String::strip)
                .filter(a -> a.matches("[a-z0-9-]{1,31}")).orElse(dom0Arch);
        DomUConfigFile c = Files.isRegularFile(cfg) ? DomUConfigFile.read(cfg) : DomUConfigFile.parse(cfg, "");
        Found net = network(g, c);
        List<String> parts = new ArrayList<>();
        for (GuestDisk d : ctx.get(disks).disks()) {
            parts.add(d.partition().name() + ":" + d.partition().type() + ":" + (d.partition().mountpoint() == null ? "" : d.partition().mountpoint())
                    + ":" + d.partition().options() + ":" + d.xenDevice());
        }
        String mirror = mirror(g, dist);
        String bootloader = c.values().getOrDefault("bootloader", "");
        String cfgKernel = c.values().getOrDefault("kernel", "");
        ImageSpec.BootPath boot = bootloader.equals("pygrub") || bootloader.endsWith("/pygrub") ? ImageSpec.BootPath.PYGRUB
                : cfgKernel.matches(".*/grub-[a-z0-9_]+-xen[a-z_]*\\.bin") ? ImageSpec.BootPath.PVGRUB2 : ImageSpec.BootPath.DOM0_KERNEL;
        ImageSpec.GuestType type = "pvh".equals(c.values().get("type")) ? ImageSpec.GuestType.PVH : ImageSpec.GuestType.PV;
        String mac = c.vifField("mac").matches("[0-9A-Fa-f:]{17}") ? c.vifField("mac") : "";
        // what boots the guest is what its .cfg says, not what the configuration would give a new one
        Map<String, String> told = new LinkedHashMap<>(settings);
        for (String key : List.of("kernel", "initrd")) {
            String v = c.values().getOrDefault(key, "");
            if (boot != ImageSpec.BootPath.DOM0_KERNEL || v.isEmpty() || !v.matches("/[A-Za-z0-9._+~/-]{1,255}")) {
                told.remove(key);
            } else {
                told.put(key, v);
            }
        }
        ctx.info("the guest runs " + family + " " + dist + " (" + arch + "), " + (net.dhcp ? "DHCP" : "addresses " + String.join(" ", net.ips))
                + (mirror == null ? ", no mirror in its apt sources" : ", mirror " + mirror));
        return new GuestFacts(hostname, new GuestFacts.Release(dist, family, arch), mirror,
                new GuestFacts.Network(net.dhcp, net.ips, mac, net.gateway, net.nameservers), parts, "hvc0", boot, type, told);
    }

    /** The network the guest's own files configure (its MAC is the .cfg's). */
    private record Found(boolean dhcp, List<String> ips, String gateway, List<String> nameservers) {
    }

    private static Found network(GuestRoot g, DomUConfigFile c) throws IOException {
        List<String> ips = new ArrayList<>();
        String gateway = null;
        boolean dhcp = false;
        List<String> nameservers = new ArrayList<>();
        String interfaces = g.readString("etc/network/interfaces", MAX_FILE).orElse("");
        for (String line : interfaces.lines().map(String::strip).toList()) {
            String[] w = line.split("\\s+");
            if (w.length >= 4 && w[0].equals("iface") && w[3].equals("dhcp") && !w[1].equals("lo")) {
                dhcp = true;
            } else if (w.length == 2 && w[0].equals("address") && ADDRESS.matcher(w[1]).matches()) {
                ips.add(w[1].replaceAll("/.*", ""));
            } else if (w.length == 2 && w[0].equals("gateway") && ADDRESS.matcher(w[1]).matches()) {
                gateway = w[1];
            }
        }
        Path networkd = g.resolve("etc/systemd/network");
        if (Files.isDirectory(networkd, LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.list(networkd)) {
                for (Path f : s.filter(p -> p.getFileName().toString().matches("[A-Za-z0-9_.-]+\\.network")).sorted().toList()) {
                    for (String line : g.readString("etc/systemd/network/" + f.getFileName(), MAX_FILE).orElse("").lines().toList()) {
                        String[] kv = line.strip().split("=", 2);
                        if (kv.length != 2) {
                            continue;
                        }
                        switch (kv[0]) {
                            case "DHCP" -> dhcp |= kv[1].equals("yes") || kv[1].equals("ipv4") || kv[1].equals("true");
                            case "Address" -> {
                                if (ADDRESS.matcher(kv[1]).matches()) {
                                    ips.add(kv[1].replaceAll("/.*", ""));
                                }
                            }
                            case "Gateway" -> gateway = ADDRESS.matcher(kv[1]).matches() ? kv[1] : gateway;
                            case "DNS" -> {
                                if (ADDRESS.matcher(kv[1]).matches()) {
                                    nameservers.add(kv[1]);
                                }
                            }
                            default -> {
                            }
                        }
                    }
                }
            }
        }
        if (ips.isEmpty() && !dhcp) {
            for (String ip : c.vifField("ip").split("\\s+")) {
                if (ADDRESS.matcher(ip).matches()) {
                    ips.add(ip);
                }
            }
            dhcp = ips.isEmpty();
        }
        if (nameservers.isEmpty()) {
            for (String line : g.readString("etc/resolv.conf", MAX_FILE).orElse("").lines().toList()) {
                String[] w = line.strip().split("\\s+");
                if (w.length == 2 && w[0].equals("nameserver") && ADDRESS.matcher(w[1]).matches()) {
                    nameservers.add(w[1]);
                }
            }
        }
        return new Found(dhcp && ips.isEmpty(), ips, gateway, nameservers);
    }

    /** The URI of the guest's first source of its own release. */
    private static String mirror(GuestRoot g, String dist) throws IOException {
        List<AptSource> sources = new ArrayList<>();
        g.readString("etc/apt/sources.list", MAX_FILE).ifPresent(t -> sources.addAll(AptSources.parse("sources.list", t)));
        Path dir = g.resolve("etc/apt/sources.list.d");
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.list(dir)) {
                for (Path f : s.map(Path::getFileName).filter(n -> n.toString().matches("[A-Za-z0-9_.-]+\\.(list|sources)")).sorted().toList()) {
                    String text = g.readString("etc/apt/sources.list.d/" + f, MAX_FILE).orElse("");
                    sources.addAll(AptSources.parse(f.toString(), text));
                }
            }
        }
        for (AptSource s : sources) {
            if (s.enabled() && s.types().contains("deb") && s.suites().contains(dist)) {
                for (String uri : s.uris()) {
                    if (URI.matcher(uri).matches()) {
                        return uri.replaceAll("/+$", "");
                    }
                }
            }
        }
        return null;
    }

    private static Map<String, String> keyValues(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            Matcher m = Pattern.compile("([A-Z_]+)=\"?([^\"]*)\"?").matcher(line.strip());
            if (m.matches()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }
}
