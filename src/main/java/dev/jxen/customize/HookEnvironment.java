package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.Settings;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment hooks and roles get, as in xen-tools: every configuration key with '-' turned into
 * '_', the addresses as ip1..ipN with ip_count, the partitions as partition1..N, and what jxen knows
 * of the guest (dist, mirror, mac). Secrets (the root password) are never in it; the accounts stage sets
 * the password itself.
 */
public final class HookEnvironment {
    private HookEnvironment() {
    }

    /** @param hookLib the shell functions hooks source to change the guest from inside it ({@code JXEN_HOOK_LIB}) */
    public static Map<String, String> of(GuestFacts g, Path hookLib) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LC_ALL", "C.UTF-8");
        g.settings().forEach((k, v) -> {
            if (!Settings.isSecret(k) && k.matches("[A-Za-z0-9_.-]+")) {
                env.put(k.replace('-', '_').replace('.', '_'), v);
            }
        });
        env.put("hostname", g.hostname());
        env.put("dist", g.release().dist());
        env.put("arch", g.release().arch());
        env.put("family", g.release().family());
        if (g.mirror() != null) {
            env.put("mirror", g.mirror());
        } else {
            env.remove("mirror");
        }
        env.put("dhcp", g.network().dhcp() ? "1" : "");
        env.remove("ip");
        int i = 0;
        for (String ip : g.network().ips()) {
            env.put("ip" + (++i), ip);
        }
        env.put("ip_count", String.valueOf(i));
        env.put("mac", g.network().mac() == null ? "" : g.network().mac());
        if (g.network().gateway() != null) {
            env.put("gateway", g.network().gateway());
        }
        env.put("nameserver", String.join(" ", g.network().nameservers()));
        int n = 0;
        for (String p : g.partitions()) {
            env.put("partition" + (++n), p);
        }
        env.put("NUMPARTITIONS", String.valueOf(n));
        env.put("serial_device", g.serialDevice());
        env.put("pygrub", g.pygrub() ? "1" : "");
        env.put("pvgrub2", g.boot() == ImageSpec.BootPath.PVGRUB2 ? "1" : "");
        env.put("boot_path", g.boot().key());
        env.put("type", g.type().key());
        env.put("DEBIAN_FRONTEND", "noninteractive");
        env.put("JXEN_HOOK_LIB", hookLib.toString());
        return env;
    }
}
