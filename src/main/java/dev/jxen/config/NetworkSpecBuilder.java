package dev.jxen.config;

import dev.jxen.config.ImageSpec.InstallSpec;
import dev.jxen.config.ImageSpec.NetworkSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The network part of the spec: DHCP or addresses (the higher layer wins), gateway, name servers, MAC, the vif. */
final class NetworkSpecBuilder {
    private final SettingReader r;

    NetworkSpecBuilder(SettingReader r) {
        this.r = r;
    }

    NetworkSpec build(Hostname host, InstallSpec install) {
        boolean dhcp = r.flag("dhcp");
        List<String> ipTexts = r.list("ip");
        if (dhcp && !ipTexts.isEmpty()) {
            boolean partial = ipTexts.size() == 1 && ipTexts.get(0).matches("[0-9]+\\.[0-9]+\\.[0-9]+\\.?");
            Optional<String> wins = r.higherOf("ip", "dhcp");
            if (partial || wins.equals(Optional.of("dhcp"))) {
                ipTexts = List.of();
            } else if (wins.isEmpty()) {
                r.problem(r.where("ip") + " and " + r.where("dhcp") + ": choose DHCP or static addresses, not both");
            } else {
                dhcp = false;
            }
        }
        if (!dhcp && ipTexts.isEmpty()) {
            r.problem("no network configuration: give --dhcp or --ip ADDRESS");
        }
        List<IpAddress> ips = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String t : ipTexts) {
            try {
                IpAddress ip = IpAddress.parse(t);
                if (!seen.add(ip.address())) {
                    r.problem(r.where("ip") + ": " + t + " is given twice");
                }
                ip.notAHostAddress().ifPresent(why -> r.problem(r.where("ip") + ": " + t + " is " + why + ", not an address a guest can have"));
                ips.add(ip);
            } catch (IllegalArgumentException e) {
                r.problem(r.where("ip") + ": " + e.getMessage());
            }
        }
        String netmask = r.text("netmask").orElse(null);
        int prefix = -1;
        if (netmask != null) {
            try {
                prefix = IpAddress.netmaskPrefix(netmask);
            } catch (IllegalArgumentException e) {
                r.problem(r.where("netmask") + ": " + e.getMessage());
            }
        }
        IpAddress p2p = pointToPointPeer(dhcp, ips);
        IpAddress gateway = null;
        Optional<String> gw = r.text("gateway");
        if (gw.isPresent()) {
            try {
                gateway = IpAddress.parse(gw.get());
                String gwAddress = gateway.address();
                if (ips.stream().anyMatch(ip -> ip.address().equals(gwAddress))) {
                    r.problem(r.where("gateway") + ": is the guest's own address; the gateway is another host on its network");
                }
                gateway.notAHostAddress().ifPresent(why -> r.problem(r.where("gateway") + ": " + gw.get() + " is " + why + ", which cannot route"));
                boolean thePeer = p2p != null && p2p.address().equals(gwAddress);
                if (!ips.isEmpty() && !thePeer) {
                    IpAddress first = ips.get(0);
                    int p = prefixOf(first, prefix);
                    if (first.v6() == gateway.v6() && !first.sameNetwork(gateway, p)) {
                        r.problem(r.where("gateway") + ": is not in the guest's network " + first.address() + "/" + p);
                    }
                }
            } catch (IllegalArgumentException e) {
                r.problem(r.where("gateway") + ": " + e.getMessage());
            }
        }
        String broadcast = r.text("broadcast").orElse(null);
        if (broadcast != null) {
            try {
                if (IpAddress.parse(broadcast).v6()) {
                    r.problem(r.where("broadcast") + ": a broadcast address is IPv4");
                }
            } catch (IllegalArgumentException e) {
                r.problem(r.where("broadcast") + ": " + e.getMessage());
            }
        }
        List<String> nameservers = new ArrayList<>();
        for (String ns : r.text("nameserver").orElse("").split("[\\s,]+")) {
            if (ns.isEmpty()) {
                continue;
            }
            try {
                IpAddress a = IpAddress.parse(ns);
                a.notAHostAddress().filter(why -> !why.equals("a loopback address"))
                        .ifPresent(why -> r.problem(r.where("nameserver") + ": " + ns + " is " + why + ", where no name server answers"));
                nameservers.add(a.address());
            } catch (IllegalArgumentException e) {
                r.problem(r.where("nameserver") + ": " + e.getMessage());
            }
        }
        MacAddress mac = null;
        if (r.text("mac").isPresent()) {
            try {
                mac = MacAddress.parse(r.text("mac").get());
            } catch (IllegalArgumentException e) {
                r.problem(r.where("mac") + ": " + e.getMessage());
            }
        } else if (r.flag("randommac")) {
            mac = MacAddress.random();
        } else {
            // xen-tools hashes every address, joined by ',' (checked on a real run with two --ip)
            mac = MacAddress.derived(host == null ? "" : host.fqdn(),
                    ips.isEmpty() ? "1" : String.join(",", ips.stream().map(IpAddress::address).toList()), install.dist());
        }
        String bridge = r.ifname("bridge");
        String vifname = r.ifname("vifname");
        String vlan = r.text("vlan").orElse(null);
        if (vlan != null && (!vlan.matches("[0-9]{1,4}") || Integer.parseInt(vlan) < 1 || Integer.parseInt(vlan) > 4094)) {
            r.problem(r.where("vlan") + ": must be a VLAN id from 1 to 4094");
        }
        String mode = r.value("network-mode");
        if (!Set.of("bridge", "route", "nat").contains(mode)) {
            r.problem(r.where("network-mode") + ": must be bridge, route or nat");
        } else if (mode.equals("route") && ips.isEmpty()) {
            r.problem(r.where("network-mode") + ": a routed vif needs a static address (--ip)");
        } else if (!mode.equals("bridge") && bridge != null) {
            r.problem(r.where("bridge") + ": a bridge goes with --network-mode bridge, not " + mode);
        }
        if (mode.equals("nat")) {
            natGateway(ips, gateway, prefix);
        }
        String config = r.value("network-config");
        if (!Set.of("ifupdown", "networkd").contains(config)) {
            r.problem(r.where("network-config") + ": must be ifupdown or networkd");
        }
        if (vlan != null && bridge == null) {
            r.problem(r.where("vlan") + ": a VLAN needs --bridge (an Open vSwitch bridge)");
        }
        ImageSpec.NetworkMode networkMode = Set.of("route", "nat").contains(mode)
                ? ImageSpec.NetworkMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)) : ImageSpec.NetworkMode.BRIDGE;
        ImageSpec.NetworkConfig networkConfig = config.equals("networkd") ? ImageSpec.NetworkConfig.NETWORKD : ImageSpec.NetworkConfig.IFUPDOWN;
        return new NetworkSpec(dhcp, ips, netmask, gateway, broadcast, p2p, nameservers, mac, bridge, vifname,
                vlan, r.flag("nohosts"), r.flag("copyhosts"), networkMode, networkConfig);
    }

    /**
     * vif-nat gives the guest's vif its address plus 127 in the last octet (10.0.0.10: 10.0.0.137)
     * and routes nothing else; a guest whose gateway is not that address reaches only the dom0's vif.
     * Warned, not refused: a site may run its own vif-nat.
     */
    private void natGateway(List<IpAddress> ips, IpAddress gateway, int netmaskPrefix) {
        if (ips.isEmpty()) {
            return;
        }
        IpAddress first = ips.get(0); // the vif's ip=, as the .cfg writes it
        if (first.v6()) {
            r.warn(r.where("ip") + ": vif-nat routes IPv4 only, and a NATed guest's vif gets its first address, here " + first.address());
            return;
        }
        int p = prefixOf(first, netmaskPrefix);
        String[] octets = first.address().split("\\.");
        int last = Integer.parseInt(octets[3]) + 127;
        IpAddress router = last > 255 ? null : IpAddress.parse(octets[0] + "." + octets[1] + "." + octets[2] + "." + last);
        if (router == null || p > 30 || !first.sameNetwork(router, p) || router.isNetworkOrBroadcast(p)) {
            r.warn(r.where("ip") + ": vif-nat gives a NATed guest's vif its address + 127 in the last octet"
                    + (router == null ? ", past 255 for " + first.address() : ", " + router.address() + ", which is no other host of "
                    + first.address() + "/" + p) + ", so the guest has no gateway to reach beyond the dom0; in a /24, choose a last octet from 1 to 127");
            return;
        }
        if (gateway == null) {
            r.warn(r.where("network-mode") + ": no --gateway, so the NATed guest has no default route; vif-nat gives its vif "
                    + router.address() + " (its address + 127 in the last octet): give --gateway " + router.address());
        } else if (!gateway.address().equals(router.address())) {
            r.warn(r.where("gateway") + ": vif-nat gives the NATed guest's vif " + router.address() + " (its address + 127 in the last octet), not "
                    + gateway.address() + ": the guest reaches beyond the dom0 through " + router.address() + " unless this dom0's vif-nat differs");
        }
    }

    /** The prefix length of the guest's network: the address's own, else --netmask's, else /64 or /24. */
    private static int prefixOf(IpAddress address, int netmaskPrefix) {
        return address.prefix() >= 0 ? address.prefix() : address.v6() ? 64 : netmaskPrefix >= 0 ? netmaskPrefix : 24;
    }

    /** --p2p: the peer of the guest's first IPv4 address on a point-to-point link, as xen-tools writes it (static addresses only). */
    private IpAddress pointToPointPeer(boolean dhcp, List<IpAddress> ips) {
        Optional<String> text = r.text("p2p");
        if (text.isEmpty()) {
            return null;
        }
        try {
            IpAddress peer = IpAddress.parse(text.get());
            if (peer.v6() || peer.prefix() >= 0) {
                r.problem(r.where("p2p") + ": must be a single IPv4 address (the peer's), such as 192.0.2.1");
                return null;
            }
            peer.notAHostAddress().ifPresent(why -> r.problem(r.where("p2p") + ": " + text.get() + " is " + why + ", not a peer's address"));
            if (dhcp || ips.stream().noneMatch(ip -> !ip.v6())) {
                r.problem(r.where("p2p") + ": a point-to-point peer goes with a static IPv4 address (--ip); "
                        + (dhcp ? "with --dhcp the DHCP server sets the link up" : "this guest has none"));
            } else if (ips.stream().anyMatch(ip -> ip.address().equals(peer.address()))) {
                r.problem(r.where("p2p") + ": is the guest's own address; the peer is the other end of the link (the dom0's address for routed hosting)");
            }
            return peer;
        } catch (IllegalArgumentException e) {
            r.problem(r.where("p2p") + ": " + e.getMessage());
            return null;
        }
    }
}
