package dev.jxen.config;

import java.util.List;

/**
 * A value with where it came from ({@code /etc/xen-tools/xen-tools.conf:12}, {@code command line}).
 * Repeatable settings hold several values.
 */
public record ConfigValue(List<String> values, String origin) {

    public ConfigValue {
        values = List.copyOf(values);
    }

    public static ConfigValue of(String value, String origin) {
        return new ConfigValue(List.of(value), origin);
    }

    /** The value as one string; repeated values joined by commas. */
    public String text() {
        return String.join(",", values);
    }
}
