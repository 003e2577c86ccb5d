package dev.jxen.cli;

import dev.jxen.config.ConfigLayers;
import dev.jxen.config.ConfigValue;
import dev.jxen.config.Setting;
import dev.jxen.config.Settings;
import dev.jxen.pipeline.event.Redactor;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * --dumpconfig: every setting of the catalog with its value (secrets masked) and where it came from:
 * a file and line, the command line, or jxen's default; then keys the files set that jxen does not know
 * (hooks see them in their environment, as in xen-tools).
 */
final class ConfigDump {
    private ConfigDump() {
    }

    /** @param boot how the guest would boot and why (see ImageSpecBuilder.bootExplained) */
    static void print(ConfigLayers layers, String boot, PrintWriter out) {
        out.println("# every setting, lowest layer first: jxen's defaults < "
                + String.join(" < ", layers.layers().stream().map(l -> l.name()).toList()));
        for (Setting s : Settings.all()) {
            if (s.cliOnly() && !s.key().equals("config") && !s.key().equals("config-dir")) {
                continue;
            }
            Optional<ConfigValue> v = layers.get(s.key());
            String value;
            String origin;
            if (v.isPresent() && !v.get().text().isBlank()) {
                value = v.get().text();
                origin = v.get().origin();
            } else if (s.dflt() != null) {
                value = s.dflt();
                origin = "jxen's default";
            } else {
                value = "";
                origin = unsetMeaning(s.key());
            }
            if (s.secret() && !value.isEmpty()) {
                value = Redactor.MASK;
            }
            out.printf("%-16s = %-40s # %s%n", s.key(), value, origin);
        }
        Map<String, ConfigValue> unknown = new TreeMap<>();
        layers.effective().forEach((k, v) -> {
            if (Settings.byKey(k).isEmpty()) {
                unknown.put(k, v);
            }
        });
        if (!unknown.isEmpty()) {
            out.println("# keys jxen does not know (passed to hooks as they are):");
            unknown.forEach((k, v) -> out.printf("%-16s = %-40s # %s%n", k, v.text(), v.origin()));
        }
        out.println("# the guest boots with " + boot);
        out.flush();
    }

    private static String unsetMeaning(String key) {
        return switch (key) {
            case "dist" -> "unset: the dom0's own release";
            case "arch" -> "unset: the dom0's architecture";
            case "mirror" -> "unset: guessed from the dom0's apt sources";
            case "roledir" -> "unset: role.d in the configuration directory";
            case "log" -> "unset: /var/log/xen-tools/HOST.log";
            case "nameserver" -> "unset: the dom0's resolv.conf";
            case "mac" -> "unset: derived from the guest, as xen-tools does";
            case "install-method" -> "unset: mmdebstrap where it is installed and no debootstrap setting is given, else debootstrap";
            case "boot-path" -> "unset: pvgrub2 where the dom0 has grub-xen-host, else pygrub (see the last line)";
            case "type" -> "unset: PVH for pvgrub2 where the hypervisor runs it, else PV (see the last line)";
            default -> "unset";
        };
    }
}
