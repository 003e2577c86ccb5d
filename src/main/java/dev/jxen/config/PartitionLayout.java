package dev.jxen.config;

import dev.jxen.error.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a partitions.d file: INI sections, one per partition, with {@code size}, {@code type},
 * {@code mountpoint} and {@code options}. Every problem is reported with its line number. The
 * partitions come out in the order xen-tools 4.9.2 numbers them.
 */
public final class PartitionLayout {
    public static final Set<String> FILESYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs");
    private static final Pattern SECTION = Pattern.compile("\\[([^\\]]*)\\]");
    private static final Pattern KEYVALUE = Pattern.compile("([A-Za-z]+)\\s*=\\s*(.*)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern OPTIONS = Pattern.compile("[A-Za-z0-9_=.,:-]+");

    private PartitionLayout() {
    }

    /** The smallest partition mkfs makes of this type (xfs since xfsprogs 5.19, btrfs's 114294784 bytes, ext4 with a journal). */
    public static Size minimum(String type) {
        return switch (type) {
            case "xfs" -> new Size(300L << 20);
            case "btrfs" -> new Size(110L << 20);
            case "swap" -> new Size(1L << 20);
            default -> new Size(8L << 20);
        };
    }

    public static List<PartitionSpec> read(Path file) {
        try {
            return parse(file.toString(), dev.jxen.system.BoundedFiles.readLines(file, dev.jxen.system.BoundedFiles.CONFIG));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read partitions file " + file + ": " + e.getMessage());
        }
    }

    static List<PartitionSpec> parse(String source, List<String> lines) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, Integer> sectionLine = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceAll("[#;].*", "").strip();
            String where = source + ":" + (i + 1);
            if (line.isEmpty()) {
                continue;
            }
            Matcher s = SECTION.matcher(line);
            Matcher kv = KEYVALUE.matcher(line);
            if (s.matches()) {
                String name = s.group(1).strip();
                if (!NAME.matcher(name).matches()) {
                    problems.add(where + ": partition name '" + name + "' must be 1-32 letters, digits, '_', '.' or '-', starting with a letter or digit");
                } else if (sections.containsKey(name)) {
                    problems.add(where + ": partition [" + name + "] is defined twice");
                }
                current = new LinkedHashMap<>();
                sections.put(name, current);
                sectionLine.put(name, i + 1);
            } else if (kv.matches()) {
                if (current == null) {
                    problems.add(where + ": '" + line + "' is outside any [section]");
                    continue;
                }
                String key = kv.group(1).toLowerCase();
                if (!Set.of("size", "type", "mountpoint", "options").contains(key)) {
                    problems.add(where + ": unknown key '" + key + "' (size, type, mountpoint, options)");
                }
                current.put(key, kv.group(2).strip());
                current.put(key + "@", String.valueOf(i + 1));
            } else {
                problems.add(where + ": expected '[name]' or 'key=value', found '" + line + "'");
            }
        }
        List<PartitionSpec> out = new ArrayList<>();
        Set<String> mountpoints = new HashSet<>();
        for (var e : sections.entrySet()) {
            Map<String, String> v = e.getValue();
            String name = e.getKey();
            String at = source + ":" + v.getOrDefault("size@", String.valueOf(sectionLine.get(name)));
            Size size = null;
            if (!v.containsKey("size")) {
                problems.add(source + ":" + sectionLine.get(name) + ": partition [" + name + "] has no size");
            } else {
                try {
                    size = Size.parse(v.get("size"), false);
                } catch (IllegalArgumentException ex) {
                    problems.add(at + ": size of [" + name + "]: " + ex.getMessage());
                }
            }
            String type = v.getOrDefault("type", "");
            String typeAt = source + ":" + v.getOrDefault("type@", String.valueOf(sectionLine.get(name)));
            if (!type.equals("swap") && !FILESYSTEMS.contains(type)) {
                problems.add(typeAt + ": type of [" + name + "] is '" + type + "'; use swap or one of " + new java.util.TreeSet<>(FILESYSTEMS));
            }
            String mp = v.get("mountpoint");
            String mpAt = source + ":" + v.getOrDefault("mountpoint@", String.valueOf(sectionLine.get(name)));
            if (type.equals("swap")) {
                mp = null;
            } else if (mp == null) {
                problems.add(source + ":" + sectionLine.get(name) + ": partition [" + name + "] has no mountpoint");
            } else if (!Mountpoint.isClean(mp)) {
                problems.add(mpAt + ": mountpoint '" + mp + "' of [" + name + "] " + Mountpoint.problem(mp));
            } else if (!mountpoints.add(mp)) {
                problems.add(mpAt + ": mountpoint '" + mp + "' is used twice");
            }
            String options = v.getOrDefault("options", "defaults");
            if (!OPTIONS.matcher(options).matches()) {
                problems.add(source + ":" + v.get("options@") + ": options of [" + name + "] may hold only letters, digits and _=.,:-");
            }
            out.add(new PartitionSpec(name, size, type, mp, options));
        }
        if (problems.isEmpty() && !mountpoints.contains("/")) {
            problems.add(source + ": no partition has mountpoint /");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        // xen-tools' order, which numbers the disks: by the length of the mountpoint (swap has none), file order
        // among equals; so parents are mounted before what is inside them.
        out.sort(Comparator.comparingInt(p -> p.mountpoint() == null ? 0 : p.mountpoint().length()));
        return List.copyOf(out);
    }
}
