package dev.jxen.config;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code jxen-create-nfs} writes: the .cfg of a guest whose root is on NFS, validated once by
 * {@link NfsSpecBuilder}.
 *
 * @param nfsServer   the server's IPv4 address, as the guest's kernel needs it (it mounts its root before it has a resolver)
 * @param serverGiven the server as given (a name or the address), for the Text::Template variables
 * @param nfsVersion  the NFS version the kernel mounts with ({@code vers=})
 * @param ip          the static address, or null with DHCP
 * @param mac         the MAC address given, or null: xl then makes one at each start, as with xen-create-nfs
 * @param bridge      the bridge the vif joins, or null for xl's default
 * @param template    a --template file (absolute), or null for jxen's {@code xl-nfs.cfg.ftl}
 * @param settings    the values xen-create-nfs hands a Text::Template (its %CONFIG), by name
 */
public record NfsSpec(Hostname hostname, String nfsServer, String serverGiven, String nfsRoot, String nfsVersion, boolean dhcp,
                      String ip, String netmask, String gateway, String broadcast, List<String> nameservers, Size memory,
                      String kernel, String initrd, String mac, String bridge, String template, Path cfg, boolean force,
                      java.util.Map<String, String> settings, List<String> warnings) {
    public NfsSpec {
        nameservers = List.copyOf(nameservers);
        settings = java.util.Map.copyOf(settings);
        warnings = List.copyOf(warnings);
    }
}
