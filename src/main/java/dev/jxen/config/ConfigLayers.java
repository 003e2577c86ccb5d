package dev.jxen.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The layers in precedence order, lowest first: built-in, xen-tools.conf, --config, profile, command
 * line. The highest layer that sets a key wins; {@link #origin} says which one did.
 */
public final class ConfigLayers {
    private final List<ConfigLayer> layers;

    public ConfigLayers(List<ConfigLayer> lowestFirst) {
        this.layers = List.copyOf(lowestFirst);
    }

    public List<ConfigLayer> layers() {
        return layers;
    }

    public Optional<ConfigValue> get(String key) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            ConfigValue v = layers.get(i).values().get(key);
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public Optional<String> text(String key) {
        return get(key).map(ConfigValue::text);
    }

    /** The value a layer sets (blank counts as unset), else jxen's default from the settings catalog. */
    public Optional<String> resolved(String key) {
        Optional<String> set = text(key).map(String::strip).filter(s -> !s.isEmpty());
        return set.isPresent() ? set : Settings.defaultOf(key);
    }

    /** The layer that set this key, or empty. */
    public Optional<ConfigLayer> layerOf(String key) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).values().containsKey(key)) {
                return Optional.of(layers.get(i));
            }
        }
        return Optional.empty();
    }

    /** Every key that any layer sets, with its winning value, sorted by key. */
    public Map<String, ConfigValue> effective() {
        Map<String, ConfigValue> out = new TreeMap<>();
        for (ConfigLayer layer : layers) {
            out.putAll(layer.values());
        }
        return out;
    }

    public ConfigLayers with(ConfigLayer top) {
        List<ConfigLayer> all = new ArrayList<>(layers);
        all.add(top);
        return new ConfigLayers(all);
    }
}
