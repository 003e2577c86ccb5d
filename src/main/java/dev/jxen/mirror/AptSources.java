package dev.jxen.mirror;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the dom0's apt sources: {@code sources.list} and {@code sources.list.d/*.list} in the
 * one-line format (with {@code [options]}), and {@code sources.list.d/*.sources} in deb822 format
 * (with {@code Enabled: no}, several URIs and suites per paragraph). Malformed entries are skipped,
 * as apt would refuse them anyway.
 */
public final class AptSources {
    private AptSources() {
    }

    /** Every source under an apt configuration root ({@code /etc/apt}). */
    public static List<AptSource> read(Path aptDir) {
        List<AptSource> out = new ArrayList<>();
        Path main = aptDir.resolve("sources.list");
        if (Files.isRegularFile(main)) {
            out.addAll(readFile(main));
        }
        Path d = aptDir.resolve("sources.list.d");
        if (Files.isDirectory(d)) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                s.forEach(files::add);
            } catch (IOException e) {
                return out;
            }
            files.sort(null);
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (n.endsWith(".list") || n.endsWith(".sources")) {
                    out.addAll(readFile(f));
                }
            }
        }
        return out;
    }

    /** The sources of one file's text: deb822 when its name ends in .sources, one-line otherwise. */
    public static List<AptSource> parse(String name, String text) {
        List<String> lines = text.lines().toList();
        return name.endsWith(".sources") ? parseDeb822(name, lines) : parseOneLine(name, lines);
    }

    public static List<AptSource> readFile(Path file) {
        try {
            List<String> lines = dev.jxen.system.BoundedFiles.readLines(file, dev.jxen.system.BoundedFiles.CONFIG);
            return file.toString().endsWith(".sources") ? parseDeb822(file.toString(), lines) : parseOneLine(file.toString(), lines);
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<AptSource> parseOneLine(String source, List<String> lines) {
        List<AptSource> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceAll("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String type;
            int sp = line.indexOf(' ');
            if (sp < 0) {
                continue;
            }
            type = line.substring(0, sp);
            if (!type.equals("deb") && !type.equals("deb-src")) {
                continue;
            }
            String rest = line.substring(sp).strip();
            Map<String, String> options = new LinkedHashMap<>();
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0) {
                    continue;
                }
                for (String opt : rest.substring(1, close).strip().split("\\s+")) {
                    String[] kv = opt.split("=", 2);
                    if (kv.length == 2) {
                        options.put(kv[0].toLowerCase(Locale.ROOT), kv[1]);
                    }
                }
                rest = rest.substring(close + 1).strip();
            }
            String[] words = rest.split("\\s+");
            if (words.length < 2) {
                continue;
            }
            out.add(new AptSource(List.of(type), List.of(words[0]), List.of(words[1]),
                    List.copyOf(Arrays.asList(words).subList(2, words.length)), options, true, source + ":" + (i + 1)));
        }
        return out;
    }

    static List<AptSource> parseDeb822(String source, List<String> lines) {
        List<AptSource> out = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        int start = 0;
        for (int i = 0; i <= lines.size(); i++) {
            String line = i < lines.size() ? lines.get(i) : "";
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isBlank()) {
                if (!fields.isEmpty()) {
                    paragraph(fields, source + ":" + (start + 1)).ifPresent(out::add);
                    fields.clear();
                }
                last = null;
                continue;
            }
            if (fields.isEmpty()) {
                start = i;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                fields.put(last, fields.get(last) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                fields.put(last, line.substring(colon + 1).strip());
            }
        }
        return out;
    }

    private static java.util.Optional<AptSource> paragraph(Map<String, String> f, String origin) {
        List<String> types = words(f.get("types"));
        List<String> uris = words(f.get("uris"));
        List<String> suites = words(f.get("suites"));
        if (types.isEmpty() || uris.isEmpty() || suites.isEmpty()) {
            return java.util.Optional.empty();
        }
        boolean enabled = !"no".equalsIgnoreCase(f.getOrDefault("enabled", "yes").strip());
        Map<String, String> options = new LinkedHashMap<>();
        f.forEach((k, v) -> {
            if (!List.of("types", "uris", "suites", "components", "enabled").contains(k)) {
                options.put(k, v);
            }
        });
        return java.util.Optional.of(new AptSource(types, uris, suites, words(f.get("components")), options, enabled, origin));
    }

    private static List<String> words(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return List.of(s.strip().split("\\s+"));
    }
}
