package dev.jxen.config;

import dev.jxen.error.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the layers in precedence order, lowest first: the global {@code xen-tools.conf} (jxen's
 * built-in one when the configuration directory has none), the {@code --config} file, the
 * {@code --profile}, and the command line. What the user typed always wins (xen-tools 4.9.2 lets
 * {@code --config} override the command line; jxen does not, and says so in its README).
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static ConfigLayers load(ConfigSources sources, ConfigLayer commandLine) {
        List<ConfigLayer> layers = new ArrayList<>();
        Path global = sources.globalConfig();
        boolean builtin = global.startsWith(sources.builtinDir());
        layers.add(XenToolsConf.read(builtin ? "built-in defaults" : "xen-tools.conf", global));
        ConfigValue config = commandLine.values().get("config");
        if (config != null) {
            layers.add(XenToolsConf.read("--config", configFile(sources, config.text())));
        }
        ConfigValue profile = commandLine.values().get("profile");
        if (profile == null) {
            // a profile may also be chosen in a config file, as the default profile
            for (int i = layers.size() - 1; i >= 0 && profile == null; i--) {
                profile = layers.get(i).values().get("profile");
            }
        }
        if (profile != null && !profile.text().isBlank()) {
            layers.add(XenToolsConf.read("profile " + profile.text(), sources.profile(profile.text())));
        }
        layers.add(commandLine);
        return new ConfigLayers(layers);
    }

    private static Path configFile(ConfigSources sources, String name) {
        Path p = Path.of(name);
        if (Files.isRegularFile(p)) {
            return p;
        }
        Path inDir = sources.configDir().resolve(name);
        if (!name.contains("/") && Files.isRegularFile(inDir)) {
            return inDir;
        }
        throw new InvalidInputException("--config=" + name + ": no such file (also looked for " + inDir + ")");
    }
}
