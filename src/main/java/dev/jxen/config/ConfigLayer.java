package dev.jxen.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One source of settings: the built-in defaults, a config file, a profile, or the command line, with
 * what went wrong but was tolerated while reading it (a backtick command that failed, as xen-tools
 * tolerates it).
 */
public record ConfigLayer(String name, Map<String, ConfigValue> values, List<String> warnings) {

    public ConfigLayer {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        warnings = List.copyOf(warnings);
    }

    public ConfigLayer(String name, Map<String, ConfigValue> values) {
        this(name, values, List.of());
    }

    public static ConfigLayer empty(String name) {
        return new ConfigLayer(name, Map.of());
    }
}
