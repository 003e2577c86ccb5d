package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.IpAddress;
import dev.jxen.config.PartitionSpec;
import dev.jxen.config.Settings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment hooks and roles get, as in xen-tools: every configuration key with '-' turned into
 * '_', the addresses as ip1..ipN with ip_count, the partitions as partition1..N, and jxen's resolved
 * values (dist, mirror, mac). Secrets (the root password) are never in it; the accounts stage sets
 * the password itself.
 */
public final class HookEnvironment {
    private HookEnvironment() {
    }

    /** @param hookLib the shell functions hooks source to change the guest from inside it ({@code JXEN_HOOK_LIB}) */
    public static Map<String, String> of(ImageSpec spec, String mirror, java.nio.file.Path hookLib) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LC_ALL", "C.UTF-8");
        spec.settings().forEach((k, v) -> {
            if (!Settings.isSecret(k) && k.matches("[A-Za-z0-9_.-]+")) {
                env.put(k.replace('-', '_').replace('.', '_'), v);
            }
        });
        env.put("hostname", spec.hostname().fqdn());
        env.put("dist", spec.install().dist());
        env.put("arch", spec.install().arch());
        env.put("family", spec.install().family());
        if (mirror != null) {
            env.put("mirror", mirror);
        }
        var net = spec.network();
        env.put("dhcp", net.dhcp() ? "1" : "");
        env.remove("ip");
        int i = 0;
        for (IpAddress ip : net.ips()) {
            env.put("ip" + (++i), ip.address());
        }
        env.put("ip_count", String.valueOf(i));
        env.put("mac", net.mac().text());
        if (net.gateway() != null) {
            env.put("gateway", net.gateway().address());
        }
        env.put("nameserver", String.join(" ", net.nameservers()));
        int n = 0;
        for (PartitionSpec p : spec.storage().partitions()) {
            n++;
            env.put("partition" + n, p.name() + ":" + p.type() + ":" + (p.mountpoint() == null ? "" : p.mountpoint())
                    + ":" + p.options() + ":" + spec.storage().deviceName(n - 1));
        }
        env.put("NUMPARTITIONS", String.valueOf(n));
        env.put("serial_device", spec.domain().serialDevice());
        env.put("pygrub", spec.domain().pygrub() ? "1" : "");
        env.put("DEBIAN_FRONTEND", "noninteractive");
        env.put("JXEN_HOOK_LIB", hookLib.toString());
        return env;
    }
}
