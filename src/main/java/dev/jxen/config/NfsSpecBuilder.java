package dev.jxen.config;

import dev.jxen.error.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and checks jxen-create-nfs's options, as xen-create-nfs 4.9.2 takes them, into an
 * {@link NfsSpec}: every problem is collected and reported at once, naming the option. What the
 * command line does not give comes from xen-tools.conf as for xen-create-nfs (memory, kernel, initrd),
 * and the .cfg goes where jxen's other commands look for it (output, extension).
 */
public final class NfsSpecBuilder {
    /** What the guest's kernel can take in nfsroot=: a clean absolute path, nothing that ends the option (',' ':' or a blank). */
    private static final Pattern NFS_ROOT = Pattern.compile("/[A-Za-z0-9._+/-]{0,1023}");
    private static final Pattern VERSION = Pattern.compile("2|3|4|4\\.[012]");
    private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private final Map<String, String> given;
    private final ConfigLayers layers;
    private final ConfigSources sources;
    private final Function<String, Optional<String>> resolve;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param given   each option typed, by its xen-create-nfs name ({@code nfs_server}, {@code dhcp}); a flag's value is "1"
     * @param resolve the dom0's resolver: a host name's IPv4 address
     */
    public NfsSpecBuilder(Map<String, String> given, ConfigLayers layers, ConfigSources sources, Function<String, Optional<String>> resolve) {
        this.given = given;
        this.layers = layers;
        this.sources = sources;
        this.resolve = resolve;
    }

    public NfsSpec build() {
        Hostname host = null;
        String name = given.get("hostname");
        if (name == null) {
            problems.add("--hostname: missing; give the guest's name");
        } else {
            try {
                host = Hostname.parse(name);
            } catch (IllegalArgumentException e) {
                problems.add("--hostname: " + e.getMessage());
            }
        }
        String server = server();
        String root = given.get("nfs_root");
        if (root == null) {
            problems.add("--nfs_root: missing; give the exported directory the guest's root is in");
        } else if (!NFS_ROOT.matcher(root).matches() || root.contains("/../") || root.endsWith("/..")) {
            problems.add("--nfs_root " + root + ": must be an absolute path of letters, digits and . _ + / - (the kernel's "
                    + "nfsroot= ends at ',' and ':'), without '..'");
        }
        String version = given.getOrDefault("nfs-version", "3");
        if (!VERSION.matcher(version).matches()) {
            problems.add("--nfs-version " + version + ": give 2, 3, 4, 4.0, 4.1 or 4.2");
        }
        boolean dhcp = given.containsKey("dhcp");
        String ip = null;
        String netmask = null;
        String gateway = null;
        if (dhcp) {
            for (String k : List.of("ip", "netmask", "gateway", "broadcast")) {
                if (given.containsKey(k)) {
                    problems.add("--" + k + " with --dhcp: the guest's kernel asks DHCP for its address; choose one");
                }
            }
        } else {
            ip = ipv4("ip");
            netmask = ipv4("netmask");
            gateway = ipv4("gateway");
            if (netmask != null) {
                try {
                    IpAddress.netmaskPrefix(netmask);
                } catch (IllegalArgumentException e) {
                    problems.add("--netmask " + netmask + ": " + e.getMessage());
                }
            }
            if (given.containsKey("broadcast")) {
                ipv4("broadcast");
                warnings.add("--broadcast: written nowhere; the kernel's ip= has no broadcast field, it follows from --netmask");
            }
        }
        List<String> nameservers = new ArrayList<>();
        if (given.containsKey("nameserver")) {
            for (String n : given.get("nameserver").trim().split("[\\s,]+")) {
                if (n.isEmpty()) {
                    continue;
                }
                if (parsedV4(n) == null) {
                    problems.add("--nameserver " + n + ": not an IPv4 address (the kernel's ip= takes two at most, as dns0 and dns1)");
                }
                nameservers.add(n);
            }
            if (nameservers.size() > 2) {
                problems.add("--nameserver: the kernel's ip= takes two name servers at most, " + nameservers.size() + " given");
            }
            if (dhcp) {
                warnings.add("--nameserver with --dhcp: written nowhere; the guest takes its name servers from DHCP");
            }
        }
        if (given.containsKey("admins")) {
            problems.add("--admins: xen-create-nfs makes dom0 accounts whose shell is xen-shell, which Debian no longer ships; "
                    + "make the accounts by hand (adduser) and give them xl access with sudo");
        }
        Size memory = memory();
        String kernel = file("kernel", true);
        String initrd = file("initrd", false);
        String mac = null;
        if (given.containsKey("mac")) {
            try {
                mac = MacAddress.parse(given.get("mac")).text();
            } catch (IllegalArgumentException e) {
                problems.add("--mac: " + e.getMessage());
            }
        }
        String bridge = given.get("bridge");
        if (bridge != null && !BRIDGE.matcher(bridge).matches()) {
            problems.add("--bridge " + bridge + ": an interface name of at most 15 letters, digits and _ . -");
        }
        String template = template();
        Path output = Path.of(given.getOrDefault("output", layers.resolved("output").orElse("/etc/xen")));
        if (!output.isAbsolute()) {
            problems.add("--output " + output + ": must be an absolute path");
        }
        String extension = layers.resolved("extension").orElse(".cfg");
        if (!extension.matches("[A-Za-z0-9._-]{0,16}")) {
            problems.add("extension " + extension + ": may hold only letters, digits, '.', '_', '-' (at most 16)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Map<String, String> settings = new TreeMap<>(given);
        settings.put("memory", String.valueOf(memory.mebibytes()));
        settings.put("kernel", kernel);
        putOrRemove(settings, "initrd", initrd);
        putOrRemove(settings, "mac", mac != null ? given.get("mac") : null);
        settings.put("hostname", host.fqdn());
        return new NfsSpec(host, server, given.get("nfs_server"), root, version, dhcp, ip, netmask, gateway, given.get("broadcast"),
                nameservers, memory, kernel, initrd, mac, bridge, template, output.resolve(host.fqdn() + extension),
                given.containsKey("force"), settings, warnings);
    }

    private static void putOrRemove(Map<String, String> m, String k, String v) {
        if (v == null) {
            m.remove(k);
        } else {
            m.put(k, v);
        }
    }

    /** The server: an IPv4 address, or a name the dom0 resolves to one (the guest's kernel has no resolver when it mounts its root). */
    private String server() {
        String s = given.get("nfs_server");
        if (s == null) {
            problems.add("--nfs_server: missing; give the NFS server's address or name");
            return null;
        }
        if (parsedV4(s) != null) {
            return s;
        }
        try {
            Hostname.parse(s);
        } catch (IllegalArgumentException e) {
            problems.add("--nfs_server: " + e.getMessage() + "; give an IPv4 address or a host name");
            return null;
        }
        Optional<String> a = resolve.apply(s);
        if (a.isEmpty()) {
            problems.add("--nfs_server " + s + ": does not resolve to an IPv4 address on the dom0; the guest's kernel mounts its root "
                    + "before it has a resolver, so jxen writes the address: give --nfs_server ADDRESS");
            return null;
        }
        warnings.add("--nfs_server " + s + ": written as " + a.get() + " (the guest's kernel mounts its root before it can resolve a name)");
        return a.get();
    }

    private String ipv4(String key) {
        String v = given.get(key);
        if (v == null) {
            problems.add("--" + key + ": missing; a guest without --dhcp needs --ip, --netmask and --gateway (as xen-create-nfs)");
            return null;
        }
        if (parsedV4(v) == null) {
            problems.add("--" + key + " " + v + ": not an IPv4 address (the kernel's ip= takes IPv4 only)");
            return null;
        }
        return v;
    }

    private static IpAddress parsedV4(String text) {
        try {
            IpAddress a = IpAddress.parse(text);
            return a.v6() || a.prefix() >= 0 ? null : a;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Size memory() {
        String m = given.containsKey("memory") ? given.get("memory") : layers.text("memory").orElse("256M");
        try {
            Size s = Size.parse(m, true);
            if (s.bytes() < (32L << 20)) {
                problems.add("--memory " + m + ": a guest needs at least 32M");
            }
            return s;
        } catch (IllegalArgumentException e) {
            problems.add("--memory " + m + ": " + e.getMessage());
            return null;
        }
    }

    /** The kernel (required: an NFS-root guest boots the dom0's kernel, no bootloader can read its root) or the initrd. */
    private String file(String key, boolean required) {
        String f = given.containsKey(key) ? given.get(key) : layers.text(key).filter(s -> !s.isBlank()).orElse(null);
        String where = given.containsKey(key) ? "--" + key : key + " (" + sources.globalConfig() + ")";
        if (f == null) {
            if (required) {
                problems.add("--kernel: missing; an NFS-root guest boots a kernel from the dom0 (with the nfs and ip= support built in, "
                        + "or an --initrd that has them)");
            }
            return null;
        }
        if (f.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || !f.startsWith("/")) {
            problems.add(where + ": must be an absolute path without control characters");
        } else if (!Files.isRegularFile(Path.of(f))) {
            if (!required && !given.containsKey(key)) {
                // a default for the dom0's running kernel, which may have none: left out, as no initrd was asked for here
                warnings.add(where + " " + f + ": no such file; the .cfg has no ramdisk");
                return null;
            }
            problems.add(where + " " + f + ": no such file");
        }
        return f;
    }

    /** --template: a FreeMarker {@code .ftl}, or any other name a Text::Template file; relative names as for create. */
    private String template() {
        String given = this.given.get("template");
        if (given == null) {
            return null;
        }
        Path p = sources.templateFile(given);
        if (!Files.isRegularFile(p)) {
            problems.add("--template " + given + ": no such template file (looked for " + p + ")");
            return null;
        }
        return p.toString();
    }
}
