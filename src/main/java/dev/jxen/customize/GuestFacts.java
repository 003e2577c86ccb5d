package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.IpAddress;
import dev.jxen.config.PartitionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What hooks and roles are told about a guest: for a create, what its spec says; for an update,
 * what the guest itself says (its release, network and mirror from its own files, its disks from its
 * .cfg and fstab).
 *
 * @param settings   the configuration's keys, as xen-tools hands them to hooks
 * @param mirror     the guest's mirror, or null when none is known
 * @param partitions one entry each: name:type:mountpoint:options:device
 */
public record GuestFacts(String hostname, Release release, String mirror, Network network, List<String> partitions, String serialDevice,
                         ImageSpec.BootPath boot, ImageSpec.GuestType type, Map<String, String> settings) {

    public GuestFacts {
        partitions = List.copyOf(partitions);
        settings = Map.copyOf(settings);
    }

    /** The guest's release: {@code dist} of {@code family} (debian, ubuntu) for {@code arch}. */
    public record Release(String dist, String family, String arch) {
    }

    /**
     * @param ips     its static addresses (none with DHCP)
     * @param mac     its vif's MAC address, or "" when none is known
     * @param gateway its gateway, or null
     */
    public record Network(boolean dhcp, List<String> ips, String mac, String gateway, List<String> nameservers) {
        public Network {
            ips = List.copyOf(ips);
            nameservers = List.copyOf(nameservers);
        }
    }

    public boolean pygrub() {
        return boot == ImageSpec.BootPath.PYGRUB;
    }

    /** The configuration's keys, with kernel and initrd only when the guest boots that dom0 kernel. */
    private static Map<String, String> bootSettings(ImageSpec spec) {
        Map<String, String> s = new java.util.TreeMap<>(spec.settings());
        if (spec.domain().start().path() != ImageSpec.BootPath.DOM0_KERNEL) {
            s.remove("kernel");
            s.remove("initrd");
            s.remove("modules");
        }
        return s;
    }

    /** The facts of a guest being created, as its spec gives them. */
    public static GuestFacts of(ImageSpec spec, String mirror) {
        var net = spec.network();
        List<String> parts = new ArrayList<>();
        int n = 0;
        for (PartitionSpec p : spec.storage().partitions()) {
            parts.add(p.name() + ":" + p.type() + ":" + (p.mountpoint() == null ? "" : p.mountpoint()) + ":" + p.options() + ":"
                    + spec.storage().deviceName(n++));
        }
        var in = spec.install();
        return new GuestFacts(spec.hostname().fqdn(), new Release(in.dist(), in.family(), in.arch()), mirror,
                new Network(net.dhcp(), net.ips().stream().map(IpAddress::address).toList(), net.mac().text(),
                        net.gateway() == null ? null : net.gateway().address(), net.nameservers()),
                parts, spec.domain().serialDevice(), spec.domain().start().path(), spec.domain().start().type(), bootSettings(spec));
    }
}
