package dev.jxen.render;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.IpAddress;
import dev.jxen.storage.GuestDisk;
import dev.jxen.storage.GuestDisks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one data model every template sees (documented in templates/README.md): the guest's names,
 * sizes, disks and network, as plain strings, numbers, lists and maps.
 */
public final class GuestModel {
    /** Releases whose kernel and systemd still call the first Xen NIC eth0; later ones call it enX0. */
    private static final Set<String> ETH0_RELEASES = Set.of("stretch", "buster", "bullseye", "oldoldstable",
            "xenial", "bionic", "focal", "jammy");

    private GuestModel() {
    }

    public static Map<String, Object> of(ImageSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        var host = spec.hostname();
        m.put("hostname", host.fqdn());
        m.put("shortname", host.shortName());
        m.put("domain", host.domain());
        m.put("dist", spec.install().dist());
        m.put("family", spec.install().family());
        m.put("arch", spec.install().arch());
        var d = spec.domain();
        m.put("memory", d.memory().mebibytes());
        m.put("maxmem", d.maxmem() == null ? "" : String.valueOf(d.maxmem().mebibytes()));
        m.put("vcpus", d.vcpus());
        m.put("kernel", d.kernel() == null ? "" : d.kernel());
        m.put("initrd", d.initrd() == null ? "" : d.initrd());
        m.put("pygrub", d.pygrub());
        m.put("boot_path", d.start().path().key());
        m.put("type", d.start().type().key());
        m.put("pvgrub2_image", d.start().pvgrub2() == null ? "" : d.start().pvgrub2());
        m.put("serial_device", d.serialDevice());
        // set only in the install-time .cfg of --install-method installer (InstallTimeConfig)
        m.put("installer_kernel", "");
        m.put("installer_ramdisk", "");
        m.put("installer_extra", "");
        List<Map<String, Object>> disks = new ArrayList<>();
        String rootDevice = "";
        for (GuestDisk g : GuestDisks.layout(spec).disks()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", g.partition().name());
            x.put("vdev", g.xenDevice());
            x.put("target", g.path());
            x.put("file", g.file());
            x.put("type", g.partition().type());
            x.put("mountpoint", g.partition().mountpoint() == null ? "" : g.partition().mountpoint());
            x.put("options", g.partition().isSwap() ? "sw" : mountOptions(spec, g));
            x.put("size", g.partition().size() == null ? "" : g.partition().size().toString());
            disks.add(x);
            if (g.partition().isRoot()) {
                rootDevice = "/dev/" + g.xenDevice();
            }
        }
        m.put("disks", disks);
        m.put("root_device", rootDevice);
        var n = spec.network();
        m.put("dhcp", n.dhcp());
        List<Map<String, Object>> ips = new ArrayList<>();
        for (IpAddress ip : n.ips()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("address", ip.address());
            x.put("v6", ip.v6());
            x.put("prefix", ip.prefix() >= 0 ? ip.prefix() : ip.v6() ? 64 : netmaskPrefix(n.netmask()));
            ips.add(x);
        }
        m.put("ips", ips);
        m.put("ip", ips.isEmpty() ? "" : ips.get(0).get("address"));
        m.put("netmask", n.netmask() == null ? "" : n.netmask());
        m.put("gateway", n.gateway() == null ? "" : n.gateway().address());
        m.put("broadcast", n.broadcast() == null ? "" : n.broadcast());
        m.put("p2p", n.p2p() == null ? "" : n.p2p().address());
        m.put("nameservers", n.nameservers());
        m.put("mac", n.mac().text());
        m.put("bridge", n.bridge() == null ? "" : n.bridge());
        m.put("vifname", n.vifname() == null ? "" : n.vifname());
        m.put("vlan", n.vlan() == null ? "" : n.vlan());
        m.put("network_mode", n.mode().key());
        m.put("interface", ETH0_RELEASES.contains(spec.install().dist()) ? "eth0" : "enX0");
        m.put("xl", new XlString());
        return m;
    }

    /** A partition's mount options: its own, or the filesystem's default ({@code ext4_options} ...). */
    static String mountOptions(ImageSpec spec, GuestDisk g) {
        String o = g.partition().options();
        if (o == null || o.equals("defaults")) {
            String fsDefault = spec.storage().fsOptions().get(g.partition().type());
            return fsDefault == null ? "defaults" : fsDefault;
        }
        return o;
    }

    private static int netmaskPrefix(String netmask) {
        return netmask == null ? 24 : IpAddress.netmaskPrefix(netmask);
    }
}
