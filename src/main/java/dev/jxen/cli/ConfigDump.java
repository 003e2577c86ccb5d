package dev.jxen.cli;

import dev.jxen.config.ConfigLayers;
import dev.jxen.config.Settings;
import dev.jxen.pipeline.event.Redactor;

import java.io.PrintWriter;

/** --dumpconfig: every effective key, its value (secrets masked) and where it came from. */
final class ConfigDump {
    private ConfigDump() {
    }

    static void print(ConfigLayers layers, PrintWriter out) {
        out.println("# effective configuration, lowest layer first: "
                + String.join(" < ", layers.layers().stream().map(l -> l.name()).toList()));
        out.println("# keys not listed take jxen's built-in defaults (see README.md)");
        layers.effective().forEach((k, v) -> {
            String value = Settings.isSecret(k) ? Redactor.MASK : v.text();
            out.printf("%-16s = %-40s # %s%n", k, value, v.origin());
        });
        out.flush();
    }
}
