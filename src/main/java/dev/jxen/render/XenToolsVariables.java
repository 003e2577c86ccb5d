package dev.jxen.render;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.IpAddress;
import dev.jxen.config.Settings;
import dev.jxen.error.InvalidInputException;
import dev.jxen.storage.GuestDisk;
import dev.jxen.storage.GuestDisks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The variables an xen-tools Text::Template file is filled with, as xen-tools 4.9.2 fills it:
 * xen-create-image exports every configuration key ('-' written '_') and xt-create-xen-config adds
 * {@code $device}, {@code $image_prefix}, {@code $image_vbd}, the memory in MiB, {@code $ips} and
 * {@code @PARTITIONS}; xen-create-nfs hands over its own settings. jxen's values are the ones it
 * decided (the guest's MAC, how it boots, its disks), so that what the template writes matches the
 * guest jxen makes. A variable xen-tools leaves undefined ({@code $pygrub} without pygrub,
 * {@code $dhcp} without --dhcp) is left out, since templates test {@code defined($pygrub)}.
 *
 * @param scalars    {@code $NAME} for each entry
 * @param partitions {@code @PARTITIONS}: name, size, type, mountpoint, options, imagetype, image
 */
public record XenToolsVariables(Map<String, String> scalars, List<List<String>> partitions) {
    /** The release whose variables these are, given as {@code $xen_tools_version} (its templates print it). */
    public static final String XEN_TOOLS_VERSION = "4.9.2";

    public XenToolsVariables {
        scalars = Map.copyOf(scalars);
        partitions = partitions.stream().map(List::copyOf).toList();
    }

    /** What xen-create-image's xt-create-xen-config gives the template for this guest. */
    public static XenToolsVariables forCreate(ImageSpec spec) {
        Map<String, String> v = new TreeMap<>();
        spec.settings().forEach((k, value) -> {
            if (!Settings.isSecret(k) && k.matches("[A-Za-z0-9_-]+") && value != null) {
                v.put(k.replace('-', '_'), value);
            }
        });
        v.put("hostname", spec.hostname().fqdn());
        v.put("dist", spec.install().dist());
        v.put("arch", spec.install().arch());
        var d = spec.domain();
        v.put("memory", String.valueOf(d.memory().mebibytes()));
        put(v, "maxmem", d.maxmem() == null ? null : String.valueOf(d.maxmem().mebibytes()));
        v.put("vcpus", String.valueOf(d.vcpus()));
        // the boot jxen chose: a template that tests $kernel or $pygrub writes that one
        v.remove("pygrub");
        v.remove("kernel");
        v.remove("initrd");
        switch (d.start().path()) {
            case PYGRUB -> v.put("pygrub", "1");
            case PVGRUB2 -> v.put("kernel", d.start().pvgrub2());
            case DOM0_KERNEL -> {
                put(v, "kernel", d.kernel());
                put(v, "initrd", d.initrd());
            }
        }
        v.put("type", d.start().type().key());
        v.put("serial_device", d.serialDevice());
        network(v, spec.network());
        v.put("device", spec.storage().diskBase());
        List<List<String>> parts = new ArrayList<>();
        var st = spec.storage();
        switch (st.target()) {
            case DIR -> {
                v.put("image_prefix", "file:" + st.dir() + "/domains/" + spec.hostname().fqdn() + "/");
                v.put("image_suffix", ".img");
            }
            case LVM -> {
                v.put("image_prefix", "phy:" + st.vg() + "/" + spec.hostname().fqdn() + "-");
                v.put("image_suffix", "");
            }
            case IMAGE_DEV -> {
                v.put("image_vbd", "phy:" + st.imageDevice());
                put(v, "swap_vbd", st.swapDevice() == null ? null : "phy:" + st.swapDevice());
            }
            case ZPOOL -> {
                // xen-tools sets no prefix for a pool; the partitions say where each volume is
            }
        }
        if (st.target() != ImageSpec.Target.IMAGE_DEV) {
            // as xt-create-xen-config: --image-dev guests get $image_vbd, and no @PARTITIONS
            int n = 0;
            for (GuestDisk g : GuestDisks.layout(spec).disks()) {
                var p = g.partition();
                List<String> row = List.of(p.name(), p.size() == null ? "" : p.size().toString(), p.type(),
                        p.isSwap() || p.mountpoint() == null ? "" : p.mountpoint(), p.isSwap() ? "" : GuestModel.mountOptions(spec, g),
                        g.file() ? "file:" : "phy:", g.path());
                parts.add(row);
                v.put("PARTITION" + (++n), String.join(":", row));
            }
            v.put("NUMPARTITIONS", String.valueOf(n));
        }
        v.put("xen_tools_version", XEN_TOOLS_VERSION);
        return new XenToolsVariables(v, parts);
    }

    /**
     * What xen-create-nfs gives the template: its settings as given (%CONFIG, with xen-tools.conf's
     * beneath), but the memory in MiB, which is all xl reads (xen-create-nfs passes "256M" through).
     */
    public static XenToolsVariables forNfs(dev.jxen.config.NfsSpec spec) {
        Map<String, String> v = new TreeMap<>();
        spec.settings().forEach((k, value) -> v.put(k.replace('-', '_'), value));
        v.put("memory", String.valueOf(spec.memory().mebibytes()));
        v.put("xen_tools_version", XEN_TOOLS_VERSION);
        return new XenToolsVariables(v, List.of());
    }

    private static void network(Map<String, String> v, ImageSpec.NetworkSpec n) {
        v.remove("dhcp");
        v.remove("ip");
        if (n.dhcp()) {
            v.put("dhcp", "1");
        }
        StringBuilder ips = new StringBuilder();
        int i = 0;
        for (IpAddress ip : n.ips()) {
            v.put("ip" + (++i), ip.address());
            ips.append(ip.address()).append(' '); // xen-tools' $ips ends with a space
        }
        v.put("ip_count", String.valueOf(i));
        v.put("ips", ips.toString());
        // as typed where it was given (xen-tools keeps its case), else the one jxen derived
        String typed = v.get("mac");
        v.put("mac", typed != null && typed.equalsIgnoreCase(n.mac().text()) ? typed : n.mac().text());
        put(v, "gateway", n.gateway() == null ? null : n.gateway().address());
        put(v, "netmask", n.netmask());
        put(v, "broadcast", n.broadcast());
        put(v, "bridge", n.bridge());
        put(v, "vifname", n.vifname());
        put(v, "vlan", n.vlan());
        v.put("nameserver", String.join(" ", n.nameservers()));
    }

    private static void put(Map<String, String> v, String key, String value) {
        if (value == null || value.isEmpty()) {
            v.remove(key);
        } else {
            v.put(key, value);
        }
    }

    /**
     * The lines {@code libexec/jxen-text-template} reads: {@code V<tab>NAME<tab>VALUE} and
     * {@code P<tab>} seven partition fields. A value with a control character is refused: it could
     * start a line of its own there, and no .cfg value holds one.
     */
    public String lines() {
        StringBuilder b = new StringBuilder();
        scalars.forEach((k, val) -> b.append("V\t").append(k).append('\t').append(clean(k, val)).append('\n'));
        for (List<String> p : partitions) {
            b.append('P');
            for (String f : p) {
                b.append('\t').append(clean("partition " + p.get(0), f));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String clean(String key, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidInputException(key + ": a control character (0x" + Integer.toHexString(c)
                        + ") in a value for the template; no .cfg value holds one");
            }
        }
        return value;
    }
}
