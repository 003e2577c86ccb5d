package dev.jxen.xen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An xl domU .cfg (xl.cfg(5)), read with xl's own grammar: {@code key = value} or {@code key += value}
 * settings ended by a newline or {@code ;}, values that are numbers, strings in double quotes (with
 * backslash escapes) or single quotes, or lists of values in brackets, and {@code #} comments.
 * list, delete and update read the disks and the vif from it, so what it says must be exactly what
 * xl reads.
 */
public final class DomUConfigFile {
    private static final long MAX_BYTES = 1 << 20;
    private final Path file;
    private final Map<String, Object> settings;

    private DomUConfigFile(Path file, Map<String, Object> settings) {
        this.file = file;
        this.settings = Collections.unmodifiableMap(settings);
    }

    public static DomUConfigFile read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is larger than 1 MiB, which is not a domU configuration");
        }
        return parse(file, dev.jxen.system.BoundedFiles.readString(file, dev.jxen.system.BoundedFiles.CONFIG));
    }

    /** @throws IOException naming the file and line of a syntax error */
    public static DomUConfigFile parse(Path file, String text) throws IOException {
        return new DomUConfigFile(file, new Parser(file, text).settings());
    }

    public Path file() {
        return file;
    }

    /** Every setting: a String (strings and numbers as written) or a List of them. */
    public Map<String, Object> settings() {
        return settings;
    }

    /** The simple settings (strings and numbers) as text. */
    public Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (v instanceof String s) {
                out.put(k, s);
            }
        });
        return out;
    }

    public List<String> disks() {
        return strings("disk");
    }

    public List<String> vifs() {
        return strings("vif");
    }

    private List<String> strings(String key) {
        Object v = settings.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        } else if (v instanceof String s) {
            out.add(s);
        }
        return out;
    }

    public String name() {
        return values().getOrDefault("name", file.getFileName().toString().replaceAll("\\.cfg$", ""));
    }

    /**
     * The backing path of each disk: {@code target=} of xl's disk syntax (the rest of the string,
     * commas included, as xl reads it), or the first positional field of the old syntax.
     */
    private static final java.util.Set<String> DISK_FORMATS = java.util.Set.of("raw", "qcow", "qcow2", "vhd", "qed");
    private static final java.util.Set<String> DISK_ACCESS = java.util.Set.of("r", "ro", "w", "rw");

    /**
     * The virtual device of each disk: {@code vdev=} of xl's disk syntax, or the positional one
     * ({@code file:/x.img,xvda2,w}, as xen-tools writes it: the field after the target that is neither
     * a format nor an access mode); empty where none is written.
     */
    public List<String> diskDevices() {
        List<String> out = new ArrayList<>();
        for (String d : disks()) {
            String vdev = "";
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|[, ])vdev=([^,\\s]+)").matcher(d);
            if (m.find()) {
                vdev = m.group(1);
            } else if (!d.contains("target=")) {
                String[] f = d.split(",");
                for (int i = 1; i < f.length; i++) {
                    String x = f[i].strip();
                    if (!x.isEmpty() && !x.contains("=") && !DISK_FORMATS.contains(x) && !DISK_ACCESS.contains(x)) {
                        vdev = x;
                        break;
                    }
                }
            }
            out.add(vdev);
        }
        return out;
    }

    public List<String> diskTargets() {
        List<String> out = new ArrayList<>();
        for (String d : disks()) {
            int t = d.indexOf("target=");
            String target;
            if (t == 0 || t > 0 && (d.charAt(t - 1) == ',' || d.charAt(t - 1) == ' ')) {
                target = d.substring(t + 7);
            } else {
                target = d.split(",")[0].strip().replaceFirst("^(phy|file|tap:aio|tap:qcow2|tap2:aio|aio|raw):", "");
            }
            out.add(target);
        }
        return out;
    }

    /** A field of the first vif, such as {@code mac} or {@code ip}. */
    public String vifField(String name) {
        List<String> vifs = vifs();
        if (vifs.isEmpty()) {
            return "";
        }
        for (String part : vifs.get(0).split(",")) {
            String p = part.strip();
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return "";
    }

    /** A recursive-descent reader of libxlu's configuration grammar. */
    private static final class Parser {
        private final Path file;
        private final String s;
        private int i;
        private int line = 1;

        Parser(Path file, String text) {
            this.file = file;
            this.s = text;
        }

        Map<String, Object> settings() throws IOException {
            Map<String, Object> out = new LinkedHashMap<>();
            while (true) {
                skipBlanks(true);
                if (i >= s.length()) {
                    return out;
                }
                char c = s.charAt(i);
                if (c == ';') {
                    i++;
                    continue;
                }
                String key = identifier();
                skipBlanks(false);
                boolean append = false;
                if (s.startsWith("+=", i)) {
                    append = true;
                    i += 2;
                } else if (i < s.length() && s.charAt(i) == '=') {
                    i++;
                } else {
                    throw error("expected '=' after '" + key + "'");
                }
                skipBlanks(false);
                Object v = value();
                skipBlanks(false);
                if (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != ';') {
                    throw error("expected the end of the line after the value of '" + key + "'");
                }
                Object old = out.get(key);
                if (append && old != null) {
                    v = concat(old, v);
                }
                out.put(key, v);
            }
        }

        private static Object concat(Object a, Object b) {
            if (a instanceof List<?> la && b instanceof List<?> lb) {
                List<Object> all = new ArrayList<>(la);
                all.addAll(lb);
                return all;
            }
            return String.valueOf(a) + b;
        }

        private Object value() throws IOException {
            if (i >= s.length()) {
                throw error("a value is missing");
            }
            char c = s.charAt(i);
            if (c == '[') {
                i++;
                List<Object> items = new ArrayList<>();
                while (true) {
                    skipBlanks(true);
                    if (i < s.length() && s.charAt(i) == ']') {
                        i++;
                        return items;
                    }
                    items.add(value());
                    skipBlanks(true);
                    if (i < s.length() && s.charAt(i) == ',') {
                        i++;
                    } else if (i < s.length() && s.charAt(i) == ']') {
                        i++;
                        return items;
                    } else {
                        throw error("expected ',' or ']' in a list");
                    }
                }
            }
            if (c == '"') {
                return doubleQuoted();
            }
            if (c == '\'') {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) != '\'' && s.charAt(end) != '\n') {
                    end++;
                }
                if (end >= s.length() || s.charAt(end) != '\'') {
                    throw error("a string in single quotes does not end on its line");
                }
                String raw = s.substring(i + 1, end);
                i = end + 1;
                return dequote(raw);
            }
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '-')) {
                i++;
            }
            String number = s.substring(start, i);
            if (!number.matches("-?(0x[0-9a-fA-F]+|[0-9]+(\\.[0-9]+)?)")) {
                throw error("expected a number, a string or a list, found '" + (number.isEmpty() ? String.valueOf(c) : number) + "'");
            }
            return number;
        }

        private String doubleQuoted() throws IOException {
            int end = i + 1;
            while (end < s.length() && s.charAt(end) != '"') {
                char c = s.charAt(end);
                if (c == '\n') {
                    throw error("a string in double quotes does not end on its line");
                }
                end += c == '\\' ? 2 : 1;
            }
            if (end >= s.length()) {
                throw error("a string in double quotes does not end");
            }
            String raw = s.substring(i + 1, end);
            i = end + 1;
            return dequote(raw);
        }

        /** xl's escapes, applied to strings in either kind of quotes. */
        private String dequote(String raw) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < raw.length(); k++) {
                char c = raw.charAt(k);
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (++k >= raw.length()) {
                    throw error("a string ends in a backslash");
                }
                char n = raw.charAt(k);
                switch (n) {
                    case '"', '\'', '\\' -> b.append(n);
                    case 'a' -> b.append('\007');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'v' -> b.append('\013');
                    case 'x' -> {
                        int e = k + 1;
                        while (e < raw.length() && e < k + 3 && Character.digit(raw.charAt(e), 16) >= 0) {
                            e++;
                        }
                        if (e == k + 1) {
                            throw error("\\x without hexadecimal digits in a string");
                        }
                        b.append((char) Integer.parseInt(raw.substring(k + 1, e), 16));
                        k = e - 1;
                    }
                    default -> {
                        if (n >= '0' && n <= '7') {
                            int e = k;
                            while (e < raw.length() && e < k + 3 && raw.charAt(e) >= '0' && raw.charAt(e) <= '7') {
                                e++;
                            }
                            b.append((char) Integer.parseInt(raw.substring(k, e), 8));
                            k = e - 1;
                        } else {
                            throw error("unknown escape '\\" + n + "' in a string");
                        }
                    }
                }
            }
            return b.toString();
        }

        private String identifier() throws IOException {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            if (start == i || Character.isDigit(s.charAt(start))) {
                throw error("expected a setting name");
            }
            return s.substring(start, i);
        }

        /** Skips spaces, tabs and comments; newlines too when {@code newlines}. */
        private void skipBlanks(boolean newlines) {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '#') {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    i++;
                } else if (c == '\n' && newlines) {
                    line++;
                    i++;
                } else {
                    return;
                }
            }
        }

        private IOException error(String what) {
            return new IOException(file + ":" + line + ": " + what);
        }
    }
}
