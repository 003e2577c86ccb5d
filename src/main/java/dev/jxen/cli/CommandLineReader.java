package dev.jxen.cli;

import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLayer;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.Set;

/** Builds the command-line layer from what the user typed: only matched options, so defaults never mask a config file. */
final class CommandLineReader {
    private static final Set<String> ACTIONS = Set.of("help", "version");

    private CommandLineReader() {
    }

    static ConfigLayer layer(ParseResult parsed) {
        CommandLineLayer layer = new CommandLineLayer();
        // picocli lists an option once each time it is typed, each time with all its values
        for (OptionSpec o : new java.util.LinkedHashSet<>(parsed.matchedOptions())) {
            String name = o.longestName().replaceFirst("^-+", "");
            if (ACTIONS.contains(name)) {
                continue;
            }
            layer.add(name, o.typeInfo().isBoolean() ? java.util.List.of() : o.originalStringValues());
        }
        return layer.build();
    }
}
