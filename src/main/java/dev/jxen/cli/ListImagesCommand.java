package dev.jxen.cli;

import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLayers;
import dev.jxen.config.ConfigLoader;
import dev.jxen.config.ConfigSources;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.Json;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.xen.DomUConfigFile;
import dev.jxen.xen.GuestConfigs;
import dev.jxen.xen.XlDomains;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code jxen-list-images}: the guests whose .cfg files are in /etc/xen (or --test DIR); a guest without a vif address is shown as DHCP. */
@Command(name = "list-images", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "List the Xen guests defined by .cfg files, with memory, vcpus, disks, addresses and state.")
public final class ListImagesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = {"--test", "--output"}, paramLabel = "DIR", description = "Directory of .cfg files (default: output in xen-tools.conf, else /etc/xen).")
    Path dir;
    @Option(names = "--config-dir", paramLabel = "DIR", description = "Configuration directory instead of /etc/xen-tools.")
    String configDir;
    @Option(names = "--extension", paramLabel = "EXT", description = "Suffix of the .cfg files (default: extension in xen-tools.conf, else .cfg); "
            + "an empty one lists every file, as in xen-tools.")
    String extension;
    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;
    @Option(names = "--manual", description = "Print this help and where the full manual is.")
    boolean manual;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (manual) {
            return Manual.print(spec.commandLine());
        }
        ConfigLayers layers = ConfigLoader.load(ConfigSources.forProcess(configDir), new CommandLineLayer().build());
        if (dir == null) {
            dir = Path.of(layers.resolved("output").orElseThrow());
        }
        String suffix = extension != null ? extension : layers.resolved("extension").orElseThrow();
        List<Map<String, Object>> rows = new ArrayList<>();
        XlDomains domains = XlDomains.query(new LocalCommandRunner(), Dom0Paths.fromEnvironment());
        GuestConfigs found = GuestConfigs.in(dir, suffix);
        found.skipped().forEach(w -> spec.commandLine().getErr().println("warning: skipped " + w));
        for (DomUConfigFile c : found.configs()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", c.name());
            r.put("memory", c.values().getOrDefault("memory", ""));
            r.put("vcpus", c.values().getOrDefault("vcpus", "1"));
            r.put("disks", c.diskTargets());
            boolean dhcp = c.vifField("ip").isBlank() || "dhcp".equals(c.values().get("dhcp"));
            r.put("ip", dhcp ? "dhcp" : c.vifField("ip"));
            r.put("dhcp", dhcp);
            r.put("mac", c.vifField("mac"));
            r.put("state", domains.state(c.name()).name().toLowerCase(java.util.Locale.ROOT));
            r.put("cfg", c.file().toString());
            rows.add(r);
        }
        if (json) {
            out.println(Json.write(rows));
        } else {
            out.printf("%-24s %7s %5s %-17s %-15s %-9s %s%n", "NAME", "MEMORY", "VCPUS", "MAC", "IP", "STATE", "DISKS");
            for (Map<String, Object> r : rows) {
                out.printf("%-24s %7s %5s %-17s %-15s %-9s %s%n", r.get("name"), r.get("memory"), r.get("vcpus"), r.get("mac"),
                        r.get("ip"), r.get("state"), String.join(" ", (List<String>) r.get("disks")));
            }
        }
        out.flush();
        return 0;
    }

}
