package dev.jxen.config;

import dev.jxen.config.ImageSpec.AccountSpec;
import dev.jxen.config.ImageSpec.CustomizeSpec;
import dev.jxen.config.ImageSpec.DomainSpec;
import dev.jxen.config.ImageSpec.InstallSpec;
import dev.jxen.config.ImageSpec.NetworkSpec;
import dev.jxen.config.ImageSpec.RunSpec;
import dev.jxen.config.ImageSpec.Secret;
import dev.jxen.config.ImageSpec.StorageSpec;
import dev.jxen.config.ImageSpec.Target;
import dev.jxen.error.InvalidInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns the configuration layers into one validated {@link ImageSpec}. Every problem is collected
 * before failing, each naming the option or config line, the value, and what is allowed. Nothing on
 * the machine is changed here; the only things read are the files the settings name.
 */
public final class ImageSpecBuilder {
    private static final Pattern VG = Pattern.compile("[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}");
    private static final Pattern ZPOOL = Pattern.compile("[A-Za-z][A-Za-z0-9_.:/-]{0,200}");
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.:-]{1,15}");
    private static final Pattern DISK = Pattern.compile("(?:/dev/)?((?:xvd|sd|hd)[a-z]+)");
    private static final Pattern SERIAL = Pattern.compile("(?:/dev/)?((?:tty|hvc|xvc)[0-9]+)");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern ARCH = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9._-]{0,16}");
    private static final Set<String> STORAGE_KEYS = Set.of("dir", "lvm", "zpool", "evms", "image-dev");

    private final ConfigLayers layers;
    private final ConfigSources sources;
    private final Dom0Facts dom0;
    private final List<String> problems = new ArrayList<>();

    /** @param dom0 what the dom0 itself uses, for settings no layer gives (dist, arch, mirror) */
    public ImageSpecBuilder(ConfigLayers layers, ConfigSources sources, Dom0Facts dom0) {
        this.layers = layers;
        this.sources = sources;
        this.dom0 = dom0;
    }

    public ImageSpec build() {
        Hostname host = required("hostname", Hostname::parse);
        StorageSpec storage = storage();
        InstallSpec install = install();
        DomainSpec domain = domain();
        NetworkSpec network = network(host, install);
        AccountSpec accounts = accounts();
        CustomizeSpec customize = customize();
        RunSpec run = run(host);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Map<String, String> settings = new TreeMap<>();
        layers.effective().forEach((k, v) -> settings.put(k, v.text()));
        settings.put("dist", install.dist());
        settings.put("arch", install.arch());
        install.mirror().ifPresent(m -> settings.put("mirror", m));
        return new ImageSpec(host, storage, install, domain, network, accounts, customize, run, settings);
    }

    // --- the groups -------------------------------------------------------------------------

    private StorageSpec storage() {
        Target target = null;
        String location = null;
        Optional<ConfigLayer> deciding = layers.layers().stream()
                .filter(l -> STORAGE_KEYS.stream().anyMatch(k -> nonEmpty(l.values().get(k))))
                .reduce((a, b) -> b);
        if (deciding.isEmpty()) {
            problems.add("no storage target: give one of --dir DIR, --lvm VG, --zpool POOL or --image-dev DEVICE "
                    + "(or set dir or lvm in xen-tools.conf)");
        } else {
            List<String> set = STORAGE_KEYS.stream().filter(k -> nonEmpty(deciding.get().values().get(k))).sorted().toList();
            if (set.size() > 1) {
                problems.add(deciding.get().name() + " sets " + String.join(" and ", set.stream().map(k -> "--" + k).toList())
                        + "; give exactly one storage target");
            } else {
                String key = set.get(0);
                location = text(key).orElseThrow();
                switch (key) {
                    case "dir" -> {
                        target = Target.DIR;
                        if (!isSafeAbsolutePath(location)) {
                            problems.add(where("dir") + ": must be an absolute path without '..' or control characters");
                        }
                    }
                    case "lvm" -> {
                        target = Target.LVM;
                        if (!VG.matcher(location).matches() || location.startsWith("-")) {
                            problems.add(where("lvm") + ": not a volume group name (letters, digits, '+_.-', not starting with '-')");
                        }
                    }
                    case "zpool" -> {
                        target = Target.ZPOOL;
                        if (!ZPOOL.matcher(location).matches()) {
                            problems.add(where("zpool") + ": not a ZFS pool or dataset name");
                        }
                    }
                    case "image-dev" -> {
                        target = Target.IMAGE_DEV;
                        checkBlockDevice("image-dev");
                    }
                    default -> problems.add(where("evms") + ": EVMS is not supported (it left the Linux kernel long ago); use --lvm VG");
                }
            }
        }
        String lvmThin = text("lvm_thin").orElse(null);
        if (lvmThin != null && (target != Target.LVM || !VG.matcher(lvmThin).matches())) {
            problems.add(where("lvm_thin") + (target != Target.LVM ? ": a thin pool needs --lvm" : ": not a thin pool name"));
        }
        String swapDev = text("swap-dev").orElse(null);
        boolean noswap = flag("noswap", false);
        if (swapDev != null) {
            checkBlockDevice("swap-dev");
            if (target != Target.IMAGE_DEV) {
                problems.add(where("swap-dev") + ": --swap-dev goes with --image-dev");
            }
            if (noswap) {
                problems.add(where("swap-dev") + ": choose --swap-dev or --noswap, not both");
            }
        }
        String image = text("image").orElse("sparse");
        if (!image.equals("sparse") && !image.equals("full")) {
            problems.add(where("image") + ": must be 'sparse' or 'full'");
        }
        String fs = text("fs").orElse("ext4");
        if (fs.equals("reiserfs")) {
            problems.add(where("fs") + ": reiserfs was removed from Linux; use ext4, xfs or btrfs");
        } else if (!PartitionLayout.FILESYSTEMS.contains(fs)) {
            problems.add(where("fs") + ": unknown filesystem; use one of ext2, ext3, ext4, xfs, btrfs");
        }
        List<PartitionSpec> partitions = partitions(target, fs, noswap, swapDev);
        String diskBase = diskBase();
        boolean format = !flag("dontformat", false);
        Map<String, String> fsOptions = new TreeMap<>();
        for (String t : PartitionLayout.FILESYSTEMS) {
            fsOptions.put(t, text(t + "_options").orElse("defaults"));
        }
        return new StorageSpec(target, location, swapDev, image.equals("sparse"), lvmThin, partitions, diskBase, format, fsOptions);
    }

    private List<PartitionSpec> partitions(Target target, String fs, boolean noswap, String swapDev) {
        Optional<String> layout = text("partitions");
        if (layout.isPresent()) {
            if (target == Target.IMAGE_DEV) {
                problems.add(where("partitions") + ": a partitions layout cannot be used with --image-dev");
                return List.of();
            }
            Optional<Path> file = sources.partitions(layout.get());
            if (file.isEmpty()) {
                problems.add(where("partitions") + ": no such layout; looked in " + sources.configDir().resolve("partitions.d")
                        + " and " + sources.builtinDir().resolve("partitions.d"));
                return List.of();
            }
            try {
                List<PartitionSpec> parts = PartitionLayout.read(file.get());
                for (PartitionSpec p : parts) {
                    Size min = PartitionLayout.minimum(p.type());
                    if (p.size() != null && p.size().bytes() < min.bytes()) {
                        problems.add(where("partitions") + ": [" + p.name() + "] of " + p.size() + " is below the " + min
                                + " that " + (p.isSwap() ? "swap" : "an " + p.type() + " filesystem") + " needs");
                    }
                }
                return parts;
            } catch (InvalidInputException e) {
                problems.addAll(e.problems());
                return List.of();
            }
        }
        Size size = size("size", "4G", false);
        List<PartitionSpec> out = new ArrayList<>();
        if (!noswap && swapDev == null) {
            Size swap = size("swap", "512M", false);
            out.add(new PartitionSpec("swap", swap, "swap", null, "defaults"));
            checkMinimum("swap", swap, "swap");
        }
        out.add(new PartitionSpec("disk", size, fs, "/", text(fs + "_options").orElse("defaults")));
        checkMinimum("size", size, fs);
        return out;
    }

    /** Refuses a size mkfs would refuse, before anything is made. */
    private void checkMinimum(String key, Size size, String type) {
        Size min = PartitionLayout.minimum(type);
        if (size != null && size.bytes() < min.bytes()) {
            problems.add(where(key) + ": below the " + min + " that " + (type.equals("swap") ? "swap" : "an " + type + " filesystem") + " needs");
        }
    }

    private String diskBase() {
        if (flag("ide", false)) {
            return "hda";
        }
        if (flag("scsi", false)) {
            return "sda";
        }
        String d = text("disk_device").orElse("xvda");
        var m = DISK.matcher(d);
        if (!m.matches()) {
            problems.add(where("disk_device") + ": must be a disk device name such as xvda, sda or hda");
            return "xvda";
        }
        return m.group(1);
    }

    private InstallSpec install() {
        boolean enabled = flag("install", true);
        String dist = text("dist").orElse(null);
        Distributions dists = Distributions.read(sources.distributionsConfig());
        if (dist == null) {
            dist = dom0.suite(dists.all().stream().map(Distributions.Distribution::name).collect(java.util.stream.Collectors.toSet())).orElse(null);
            if (dist == null) {
                problems.add("no distribution: give --dist (for example bookworm); the dom0's apt sources name none jxen can use");
            }
        }
        String family = "debian";
        if (dist != null) {
            var d = dists.get(dist);
            if (d.isEmpty()) {
                problems.add((layers.get("dist").isPresent() ? where("dist") : "dist " + dist + " (from the dom0's apt sources)")
                        + ": unknown distribution; known ones are listed in " + dists.source());
            } else {
                family = d.get().family();
                if (!family.equals("debian") && !family.equals("ubuntu")) {
                    problems.add(where("dist") + ": jxen installs Debian and Ubuntu only");
                }
            }
        }
        String arch = text("arch").orElseGet(dom0::arch);
        if (!ARCH.matcher(arch).matches()) {
            problems.add(where("arch") + ": not a Debian architecture name such as amd64 or arm64");
        }
        Optional<String> mirror = text("mirror");
        mirror.ifPresent(m -> checkUrl("mirror", m, Set.of("http", "https", "file", "ftp")));
        String mirrorOrigin = mirror.isPresent() ? where("mirror") : null;
        String method = text("install-method").orElse("debootstrap");
        boolean bootstraps = method.equals("debootstrap") || method.equals("mmdebstrap");
        if (mirror.isEmpty() && bootstraps && enabled && dist != null) {
            String fam = family;
            Set<String> releases = dists.all().stream().filter(x -> x.family().equals(fam))
                    .map(Distributions.Distribution::name).collect(java.util.stream.Collectors.toSet());
            Optional<Dom0Facts.Guess> guess = dom0.mirror(releases);
            if (guess.isPresent()) {
                mirror = Optional.of(guess.get().value());
                mirrorOrigin = "guessed from the dom0's apt sources (" + guess.get().origin() + ")";
            } else {
                problems.add("no mirror for " + family + ": give --mirror URL (or mirror = URL in xen-tools.conf); "
                        + "the dom0's apt sources name no " + family + " mirror");
            }
        }
        String source = text("install-source").orElse(null);
        switch (method) {
            case "debootstrap", "mmdebstrap" -> {
                if (source != null) {
                    problems.add(where("install-source") + ": --install-source is only for --install-method tar or copy");
                }
            }
            case "tar" -> {
                if (source == null) {
                    problems.add(where("install-method") + ": the tar method needs --install-source=TARBALL");
                } else if (!Files.isRegularFile(Path.of(source))) {
                    problems.add(where("install-source") + ": no such tarball");
                }
            }
            case "copy" -> {
                if (source == null) {
                    problems.add(where("install-method") + ": the copy method needs --install-source=DIRECTORY");
                } else if (!Files.isDirectory(Path.of(source))) {
                    problems.add(where("install-source") + ": no such directory");
                }
            }
            case "cdebootstrap", "rinse", "rpmstrap" -> problems.add(where("install-method")
                    + ": not supported by jxen; use debootstrap or mmdebstrap (Debian, Ubuntu), tar or copy");
            default -> problems.add(where("install-method") + ": unknown method; use debootstrap, mmdebstrap, tar or copy");
        }
        String installer = text("debootstrap-cmd").orElse(null);
        if (installer != null && !installer.matches("[A-Za-z0-9_./+-]+")) {
            problems.add(where("debootstrap-cmd") + ": must be a command name or path");
        }
        String keyring = text("keyring").orElse(null);
        if (keyring != null && !Files.isRegularFile(Path.of(keyring))) {
            problems.add(where("keyring") + ": no such keyring file");
        }
        String cache = text("cache").orElse("yes").toLowerCase(Locale.ROOT);
        if (!cache.equals("yes") && !cache.equals("no")) {
            problems.add(where("cache") + ": must be 'yes' or 'no'");
        }
        Path cachedir = path("cachedir", "/var/cache/apt/archives");
        Optional<String> proxy = text("apt_proxy");
        proxy.ifPresent(p -> checkUrl("apt_proxy", p, Set.of("http", "https")));
        boolean baseCache = flag("base-cache", true);
        Path baseCacheDir = path("base-cache-dir", "/var/cache/jxen/base");
        Size baseCacheMax = size("base-cache-max", "4G", false);
        List<String> packages = new ArrayList<>(List.of("openssh-server"));
        if (flag("pygrub", false) && text("kernel").isEmpty()) {
            packages.add(kernelPackage(arch, family));
        }
        return new InstallSpec(enabled, dist == null ? "" : dist, family, arch, mirror, mirrorOrigin, method, source, installer, keyring,
                cache.equals("yes"), cachedir, proxy, baseCache, baseCacheDir, baseCacheMax, List.copyOf(packages));
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

    private DomainSpec domain() {
        Size memory = size("memory", "256M", true);
        if (memory != null && memory.bytes() < (32L << 20)) {
            problems.add(where("memory") + ": a guest needs at least 32M");
        }
        Size maxmem = layers.get("maxmem").isPresent() ? size("maxmem", null, true) : null;
        if (maxmem != null && memory != null && maxmem.bytes() < memory.bytes()) {
            problems.add(where("maxmem") + ": is less than memory (" + memory + ")");
        }
        int vcpus = integer("vcpus", 1, 1, 512);
        String kernel = existingFile("kernel");
        String initrd = existingFile("initrd");
        String modules = text("modules").orElse(null);
        if (modules != null && !Files.isDirectory(Path.of(modules))) {
            problems.add(where("modules") + ": no such directory");
        }
        boolean pygrub = flag("pygrub", false);
        if (pygrub && kernel != null && layers.layerOf("kernel").equals(layers.layerOf("pygrub"))) {
            problems.add(where("pygrub") + ": choose a dom0 kernel (--kernel) or pygrub, not both");
        }
        if (kernel == null && !pygrub) {
            problems.add("no way to boot the guest: give --kernel (a dom0 kernel) or --pygrub (the guest's own kernel)");
        }
        String serial = text("serial_device").orElse("hvc0");
        var sm = SERIAL.matcher(serial);
        if (!sm.matches()) {
            problems.add(where("serial_device") + ": must be a serial device such as hvc0, tty1 or xvc0");
        }
        Path output = path("output", "/etc/xen");
        String extension = text("extension").orElse(".cfg");
        if (!EXTENSION.matcher(extension).matches()) {
            problems.add(where("extension") + ": may hold only letters, digits, '.', '_', '-' (at most 16)");
        }
        boolean boot = flag("boot", false);
        String template = text("template").orElse(null);
        if (template != null) {
            if (template.endsWith(".tmpl") || !template.endsWith(".ftl")) {
                problems.add(where("template") + ": looks like an xen-tools Text::Template file; jxen writes the .cfg with "
                        + "FreeMarker: copy " + sources.home().resolve("templates/xl.cfg.ftl") + " to "
                        + sources.configDir().resolve("templates/") + " and port your changes ({$name} becomes ${name})");
            } else if (!Files.isRegularFile(Path.of(template))) {
                problems.add(where("template") + ": no such template file");
            }
        }
        return new DomainSpec(memory, maxmem, vcpus, kernel, initrd, modules, pygrub, sm.matches() ? sm.group(1) : "hvc0",
                output, extension, boot, template);
    }

    private NetworkSpec network(Hostname host, InstallSpec install) {
        boolean dhcp = flag("dhcp", false);
        List<String> ipTexts = list("ip");
        if (dhcp && !ipTexts.isEmpty()) {
            Optional<ConfigLayer> ipLayer = layers.layerOf("ip");
            Optional<ConfigLayer> dhcpLayer = layers.layerOf("dhcp");
            boolean partial = ipTexts.size() == 1 && ipTexts.get(0).matches("[0-9]+\\.[0-9]+\\.[0-9]+\\.?");
            if (partial) {
                ipTexts = List.of();
            } else if (ipLayer.equals(dhcpLayer)) {
                problems.add(where("ip") + " and " + where("dhcp") + ": choose DHCP or static addresses, not both");
            } else if (layers.layers().indexOf(ipLayer.get()) > layers.layers().indexOf(dhcpLayer.get())) {
                dhcp = false;
            } else {
                ipTexts = List.of();
            }
        }
        if (!dhcp && ipTexts.isEmpty()) {
            problems.add("no network configuration: give --dhcp or --ip ADDRESS");
        }
        List<IpAddress> ips = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String t : ipTexts) {
            try {
                IpAddress ip = IpAddress.parse(t);
                if (!seen.add(ip.address())) {
                    problems.add(where("ip") + ": " + t + " is given twice");
                }
                ips.add(ip);
            } catch (IllegalArgumentException e) {
                problems.add(where("ip") + ": " + e.getMessage());
            }
        }
        String netmask = text("netmask").orElse(null);
        int prefix = -1;
        if (netmask != null) {
            try {
                prefix = IpAddress.netmaskPrefix(netmask);
            } catch (IllegalArgumentException e) {
                problems.add(where("netmask") + ": " + e.getMessage());
            }
        }
        IpAddress gateway = null;
        Optional<String> gw = text("gateway");
        if (gw.isPresent()) {
            try {
                gateway = IpAddress.parse(gw.get());
                if (!ips.isEmpty()) {
                    IpAddress first = ips.get(0);
                    int p = first.prefix() >= 0 ? first.prefix() : first.v6() ? 64 : prefix >= 0 ? prefix : 24;
                    if (first.v6() == gateway.v6() && !first.sameNetwork(gateway, p)) {
                        problems.add(where("gateway") + ": is not in the guest's network " + first.address() + "/" + p);
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add(where("gateway") + ": " + e.getMessage());
            }
        }
        String broadcast = text("broadcast").orElse(null);
        if (broadcast != null) {
            try {
                if (IpAddress.parse(broadcast).v6()) {
                    problems.add(where("broadcast") + ": a broadcast address is IPv4");
                }
            } catch (IllegalArgumentException e) {
                problems.add(where("broadcast") + ": " + e.getMessage());
            }
        }
        List<String> nameservers = new ArrayList<>();
        for (String ns : text("nameserver").orElse("").split("[\\s,]+")) {
            if (ns.isEmpty()) {
                continue;
            }
            try {
                nameservers.add(IpAddress.parse(ns).address());
            } catch (IllegalArgumentException e) {
                problems.add(where("nameserver") + ": " + e.getMessage());
            }
        }
        MacAddress mac = null;
        if (text("mac").isPresent()) {
            try {
                mac = MacAddress.parse(text("mac").get());
            } catch (IllegalArgumentException e) {
                problems.add(where("mac") + ": " + e.getMessage());
            }
        } else if (flag("randommac", false)) {
            mac = MacAddress.random();
        } else {
            mac = MacAddress.derived(host == null ? "" : host.fqdn(), ips.isEmpty() ? "1" : ips.get(0).address(), install.dist());
        }
        String bridge = ifname("bridge");
        String vifname = ifname("vifname");
        String vlan = text("vlan").orElse(null);
        if (vlan != null && (!vlan.matches("[0-9]{1,4}") || Integer.parseInt(vlan) < 1 || Integer.parseInt(vlan) > 4094)) {
            problems.add(where("vlan") + ": must be a VLAN id from 1 to 4094");
        }
        String mode = text("network-mode").orElse("bridge");
        if (!Set.of("bridge", "route", "nat").contains(mode)) {
            problems.add(where("network-mode") + ": must be bridge, route or nat");
        } else if (mode.equals("route") && ips.isEmpty()) {
            problems.add(where("network-mode") + ": a routed vif needs a static address (--ip)");
        } else if (!mode.equals("bridge") && bridge != null) {
            problems.add(where("bridge") + ": a bridge goes with --network-mode bridge, not " + mode);
        }
        String config = text("network-config").orElse("ifupdown");
        if (!Set.of("ifupdown", "networkd").contains(config)) {
            problems.add(where("network-config") + ": must be ifupdown or networkd");
        }
        if (vlan != null && bridge == null) {
            problems.add(where("vlan") + ": a VLAN needs --bridge (an Open vSwitch bridge)");
        }
        return new NetworkSpec(dhcp, List.copyOf(ips), netmask, gateway, broadcast, List.copyOf(nameservers), mac, bridge, vifname,
                vlan, flag("nohosts", false), flag("copyhosts", false), mode, config);
    }

    private AccountSpec accounts() {
        Secret password = null;
        Optional<String> pw = text("password");
        Optional<String> from = text("password-from");
        if (from.isPresent()) {
            if (pw.isPresent()) {
                problems.add(where("password-from") + " and --password: give the password one way");
            }
            pw = readPassword(from.get());
        }
        if (pw.isPresent()) {
            String p = pw.get();
            if (p.isEmpty() || p.length() > 256 || p.chars().anyMatch(c -> c < 32 || c == 127)) {
                problems.add((from.isPresent() ? where("password-from") + ": the password" : where("password"))
                        + " must be 1 to 256 printable characters");
            }
            password = new Secret(p);
        }
        boolean genpass = flag("genpass", true);
        int len = integer("genpass_len", 20, 8, 128);
        String hash = text("hash_method").orElse("sha512").toLowerCase(Locale.ROOT);
        if (hash.equals("md5")) {
            problems.add(where("hash_method") + ": md5-crypt is trivially cracked and jxen does not write it; use sha512 (the default) or sha256");
        } else if (!hash.equals("sha256") && !hash.equals("sha512")) {
            problems.add(where("hash_method") + ": must be sha512, sha256 or md5");
        }
        String admins = text("admins").orElse(null);
        if (admins != null) {
            boolean names = true;
            for (String a : admins.split(",")) {
                if (!USER.matcher(a.strip()).matches()) {
                    problems.add(where("admins") + ": '" + a + "' is not a user name");
                    names = false;
                }
            }
            if (names) {
                problems.add(where("admins") + ": xen-tools made these dom0 users with xen-shell, which Debian no longer ships; "
                        + "jxen does not; give them sudo in the guest with a role instead");
            }
        }
        Path passwordFile = text("password-file").isPresent() ? path("password-file", "/") : null;
        if (passwordFile != null && Files.exists(passwordFile)) {
            problems.add(where("password-file") + ": already exists; jxen does not overwrite it");
        }
        List<String> keys = new ArrayList<>();
        Optional<String> keyFile = text("authorized-keys");
        if (keyFile.isPresent()) {
            try {
                for (String line : Files.readAllLines(Path.of(keyFile.get()))) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    if (!l.matches("(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+) [A-Za-z0-9+/=]+( [^\\n]*)?")) {
                        problems.add(where("authorized-keys") + ": '" + (l.length() > 30 ? l.substring(0, 30) + "..." : l) + "' is not an SSH public key");
                    }
                    keys.add(l);
                }
                if (keys.isEmpty()) {
                    problems.add(where("authorized-keys") + ": holds no public key");
                }
            } catch (java.io.IOException e) {
                problems.add(where("authorized-keys") + ": cannot be read: " + e.getMessage());
            }
        }
        return new AccountSpec(password, genpass, len, hash, flag("passwd", false), flag("accounts", false), admins, passwordFile,
                List.copyOf(keys));
    }

    /** The first line of the file, or of standard input for '-'; a file others can read is refused. */
    private Optional<String> readPassword(String from) {
        try {
            if (from.equals("-")) {
                byte[] in = System.in.readNBytes(4096);
                return Optional.of(new String(in, java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse(""));
            }
            Path f = Path.of(from);
            if (!Files.isRegularFile(f)) {
                problems.add(where("password-from") + ": no such file");
                return Optional.empty();
            }
            if (Files.getPosixFilePermissions(f).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                problems.add(where("password-from") + ": every user can read it; chmod o-r " + f);
                return Optional.empty();
            }
            if (Files.size(f) > 4096) {
                problems.add(where("password-from") + ": larger than 4 KiB, which is not a password file");
                return Optional.empty();
            }
            return Optional.of(Files.readString(f).lines().findFirst().orElse(""));
        } catch (java.io.IOException e) {
            problems.add(where("password-from") + ": cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    private CustomizeSpec customize() {
        List<String> roles = splitNames("role");
        List<String> finals = splitNames("finalrole");
        String roledir = text("roledir").orElse(sources.configDir().resolve("role.d").toString());
        return new CustomizeSpec(flag("hooks", true), roles, text("role-args").orElse(""), finals, roledir);
    }

    private RunSpec run(Hostname host) {
        Path log = text("log").map(l -> Path.of(l).toAbsolutePath().normalize())
                .orElse(Path.of("/var/log/xen-tools", (host == null ? "unknown" : host.fqdn()) + ".log"));
        return new RunSpec(flag("force", false), flag("keep", false), flag("verbose", false), flag("quiet", false),
                flag("dry-run", false), flag("json", false), log);
    }

    // --- readers ------------------------------------------------------------------------------

    private Optional<String> text(String key) {
        return layers.get(key).map(ConfigValue::text).map(String::strip).filter(s -> !s.isEmpty());
    }

    private List<String> list(String key) {
        List<String> out = new ArrayList<>();
        layers.get(key).ifPresent(v -> v.values().forEach(x -> {
            for (String part : x.split("[\\s,]+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }));
        return out;
    }

    private List<String> splitNames(String key) {
        List<String> out = list(key);
        for (String r : out) {
            if (!r.matches("[A-Za-z0-9_./+-]+") || r.contains("..")) {
                problems.add(where(key) + ": '" + r + "' is not a role name or path");
            }
        }
        return out;
    }

    private <T> T required(String key, Function<String, T> parse) {
        Optional<String> t = text(key);
        if (t.isEmpty()) {
            problems.add("--" + key + " is required");
            return null;
        }
        try {
            return parse.apply(t.get());
        } catch (IllegalArgumentException e) {
            problems.add(where(key) + ": " + e.getMessage());
            return null;
        }
    }

    private boolean flag(String key, boolean dflt) {
        Optional<String> t = text(key);
        if (t.isEmpty()) {
            return dflt;
        }
        switch (t.get().toLowerCase(Locale.ROOT)) {
            case "1", "yes", "true", "on" -> {
                return true;
            }
            case "0", "no", "false", "off" -> {
                return false;
            }
            default -> {
                problems.add(where(key) + ": must be 1 or 0 (or yes/no)");
                return dflt;
            }
        }
    }

    private Size size(String key, String dflt, boolean bareMeansMiB) {
        String t = text(key).orElse(dflt);
        if (t == null) {
            return null;
        }
        try {
            return Size.parse(t, bareMeansMiB);
        } catch (IllegalArgumentException e) {
            problems.add(where(key) + ": " + e.getMessage());
            return null;
        }
    }

    private int integer(String key, int dflt, int min, int max) {
        Optional<String> t = text(key);
        if (t.isEmpty()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(t.get());
            if (v < min || v > max) {
                problems.add(where(key) + ": must be from " + min + " to " + max);
                return dflt;
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(where(key) + ": must be a whole number from " + min + " to " + max);
            return dflt;
        }
    }

    private Path path(String key, String dflt) {
        String t = text(key).orElse(dflt);
        if (!isSafeAbsolutePath(t)) {
            problems.add(where(key) + ": must be an absolute path without '..' or control characters");
            return Path.of(dflt);
        }
        return Path.of(t);
    }

    private String existingFile(String key) {
        Optional<String> t = text(key);
        if (t.isEmpty()) {
            return null;
        }
        if (hasControlCharacters(t.get())) {
            problems.add(where(key) + ": holds a control character; name the file without one");
            return null;
        }
        if (!Files.isRegularFile(Path.of(t.get()))) {
            problems.add(where(key) + ": no such file; give an existing one, or unset it with --" + key
                    + "= (with --pygrub the guest boots its own kernel)");
            return null;
        }
        return t.get();
    }

    private String ifname(String key) {
        String t = text(key).orElse(null);
        if (t != null && !IFNAME.matcher(t).matches()) {
            problems.add(where(key) + ": must be an interface name of 1 to 15 letters, digits or '_.:-'");
        }
        return t;
    }

    private void checkBlockDevice(String key) {
        String dev = text(key).orElse("");
        Path p = Path.of(dev);
        if (!dev.startsWith("/dev/") || dev.contains("..") || hasControlCharacters(dev)) {
            problems.add(where(key) + ": must be a device path under /dev");
        } else if (!Files.exists(p)) {
            problems.add(where(key) + ": no such device");
        }
    }

    private void checkUrl(String key, String value, Set<String> schemes) {
        try {
            URI u = new URI(value);
            if (u.getScheme() == null || !schemes.contains(u.getScheme().toLowerCase(Locale.ROOT))
                    || (!u.getScheme().equals("file") && (u.getHost() == null || u.getHost().isEmpty()))) {
                problems.add(where(key) + ": must be a URL with a host, such as http://mirror.example/debian (schemes: " + new java.util.TreeSet<>(schemes) + ")");
            }
        } catch (URISyntaxException e) {
            problems.add(where(key) + ": is not a URL: " + e.getReason());
        }
    }

    private static boolean isSafeAbsolutePath(String p) {
        if (p == null || !p.startsWith("/") || hasControlCharacters(p)) {
            return false;
        }
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** Paths go into the .cfg, fstab and commands: no newline, tab or other control character in them. */
    private static boolean hasControlCharacters(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static boolean nonEmpty(ConfigValue v) {
        return v != null && !v.text().isBlank();
    }

    /** How the user wrote the setting: {@code --size=0} or {@code size = 0 (FILE:LINE)}. */
    private String where(String key) {
        Optional<ConfigValue> v = layers.get(key);
        if (v.isEmpty()) {
            return "--" + key;
        }
        String shown = Settings.isSecret(key) ? "********" : v.get().text();
        if (v.get().origin().equals(CommandLineLayer.ORIGIN)) {
            return "--" + key + "=" + shown;
        }
        return key + " = " + shown + " (" + v.get().origin() + ")";
    }
}
