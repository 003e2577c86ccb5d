package dev.jxen.cli.option;

import dev.jxen.config.ConfigLayers;
import dev.jxen.config.Hostname;
import dev.jxen.error.InvalidInputException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which existing guests a command works on, and where their .cfg files are (delete, update). */
public class GuestSelection {
    @Option(names = "--hostname", paramLabel = "NAME", description = "A guest (also as arguments).")
    List<String> hostnames = new ArrayList<>();
    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Guests.")
    List<String> names = new ArrayList<>();
    // help of --output, --extension and --log from the settings catalog (SettingsHelp)
    @Option(names = "--output", paramLabel = "DIR")
    String output;
    @Option(names = "--extension", paramLabel = "EXT")
    String extension;
    @Option(names = "--config-dir", paramLabel = "DIR", description = "Configuration directory instead of /etc/xen-tools.")
    public String configDir;
    @Option(names = "--log", paramLabel = "FILE")
    String log;

    /** The log file of a run on {@code guest}: --log, else the configuration's log, else the guest's own, as create chooses it. */
    public Path log(ConfigLayers layers, String guest) {
        String given = log != null ? log : layers.text("log").filter(l -> !l.isBlank()).orElse(null);
        return given != null ? Path.of(given).toAbsolutePath().normalize() : Path.of("/var/log/xen-tools", guest + ".log");
    }

    /** The directory of the .cfg files: --output, else the configuration's output, else jxen's default. */
    public Path output(ConfigLayers layers) {
        return Path.of(output != null ? output : layers.resolved("output").orElseThrow());
    }

    /** The suffix of the .cfg files, resolved the same way. */
    public String extension(ConfigLayers layers) {
        return extension != null ? extension : layers.resolved("extension").orElseThrow();
    }

    /** Every guest named, with --hostname or as an argument; at least one, each a valid host name. */
    public List<String> all() {
        List<String> given = new ArrayList<>(hostnames);
        given.addAll(names);
        if (given.isEmpty()) {
            throw new InvalidInputException("--hostname is required");
        }
        List<String> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String g : given) {
            try {
                out.add(Hostname.parse(g).fqdn());
            } catch (IllegalArgumentException e) {
                problems.add("--hostname: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return out;
    }
}
