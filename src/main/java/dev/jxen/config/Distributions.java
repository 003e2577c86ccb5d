package dev.jxen.config;

import dev.jxen.error.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The distributions jxen may install, read from {@code distributions.conf}: one line per release,
 * {@code name = family [flags...] [keyring.gpg]}, as in xen-tools.
 */
public final class Distributions {

    /** One release: its family (debian, ubuntu) and flags such as eol. */
    public record Distribution(String name, String family, Set<String> flags, String keyring) {
        public boolean eol() {
            return flags.contains("eol");
        }
    }

    private final Map<String, Distribution> byName;
    private final String source;

    private Distributions(Map<String, Distribution> byName, String source) {
        this.byName = byName;
        this.source = source;
    }

    public static Distributions read(Path file) {
        List<String> lines;
        try {
            lines = dev.jxen.system.BoundedFiles.readLines(file, dev.jxen.system.BoundedFiles.CONFIG);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, Distribution> map = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceAll("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] kv = line.split("=", 2);
            String[] words = kv.length == 2 ? kv[1].strip().split("\\s+") : new String[0];
            if (kv.length != 2 || words.length == 0 || words[0].isEmpty() || !kv[0].strip().matches("[a-z0-9][a-z0-9.-]*")) {
                problems.add(file + ":" + (i + 1) + ": expected 'release = family [flags]', found '" + line + "'");
                continue;
            }
            String keyring = null;
            java.util.Set<String> flags = new java.util.TreeSet<>();
            for (int w = 1; w < words.length; w++) {
                if (words[w].endsWith(".gpg")) {
                    keyring = words[w];
                } else {
                    flags.add(words[w]);
                }
            }
            String name = kv[0].strip();
            map.put(name, new Distribution(name, words[0], Set.copyOf(flags), keyring));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new Distributions(map, file.toString());
    }

    public Optional<Distribution> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public java.util.Collection<Distribution> all() {
        return byName.values();
    }

    public String source() {
        return source;
    }
}
