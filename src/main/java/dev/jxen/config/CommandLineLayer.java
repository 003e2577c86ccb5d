package dev.jxen.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the command-line layer from what the user typed: option name (without dashes) and its
 * string values, in order. Negations ({@code --noboot}) set their flag to 0.
 */
public final class CommandLineLayer {
    public static final String ORIGIN = "command line";
    private final Map<String, ConfigValue> values = new LinkedHashMap<>();

    public CommandLineLayer add(String optionName, List<String> typed) {
        Setting s = Settings.byCliName(optionName)
                .orElseThrow(() -> new IllegalArgumentException("no setting for option --" + optionName));
        List<String> v;
        if (s.kind() == Setting.Kind.FLAG && typed.isEmpty()) {
            v = List.of(s.negations().contains(optionName) ? "0" : "1");
        } else if (s.kind() == Setting.Kind.FLAG && s.negations().contains(optionName)) {
            v = List.of("0");
        } else if (s.kind() == Setting.Kind.VALUE && typed.isEmpty()) {
            v = List.of(""); // --wait-ssh without SECONDS: set, with the value the spec builder gives it
        } else if (s.kind() == Setting.Kind.VALUE && typed.size() > 1) {
            v = List.of(typed.get(typed.size() - 1)); // the last one wins, as with Getopt::Long
        } else {
            v = typed;
        }
        if (s.kind() == Setting.Kind.LIST && values.containsKey(s.key())) {
            List<String> all = new java.util.ArrayList<>(values.get(s.key()).values());
            all.addAll(v);
            v = all;
        }
        values.put(s.key(), new ConfigValue(v, ORIGIN));
        return this;
    }

    public ConfigLayer build() {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        values.keySet().forEach(k -> Settings.byKey(k).filter(s -> s.ignored() != null)
                .ifPresent(s -> warnings.add("--" + k + " is accepted and ignored: " + s.ignored())));
        return new ConfigLayer(ORIGIN, values, warnings);
    }
}
