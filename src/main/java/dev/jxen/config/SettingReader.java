package dev.jxen.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads settings from the layers for the builders of the spec, with jxen's defaults from the settings
 * catalog where no layer sets a key, and collects every problem, each naming the option or the file
 * and line it came from, the value and what is allowed.
 */
final class SettingReader {
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.:-]{1,15}");
    private final ConfigLayers layers;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    SettingReader(ConfigLayers layers) {
        this.layers = layers;
    }

    /**
     * Which of two settings that exclude each other wins when both are set: the one given in the
     * higher layer (what is typed wins over --config, which wins over xen-tools.conf); empty when
     * both are in the same layer, where the user must choose.
     */
    java.util.Optional<String> higherOf(String a, String b) {
        int ia = layers.layerOf(a).map(l -> layers.layers().indexOf(l)).orElse(-1);
        int ib = layers.layerOf(b).map(l -> layers.layers().indexOf(l)).orElse(-1);
        return ia == ib ? java.util.Optional.empty() : java.util.Optional.of(ia > ib ? a : b);
    }

    ConfigLayers layers() {
        return layers;
    }

    void problem(String p) {
        problems.add(p);
    }

    List<String> problems() {
        return problems;
    }

    /** An option that is set but has no effect here, said by name. */
    void warn(String w) {
        warnings.add(w);
    }

    List<String> warnings() {
        return warnings;
    }

    /** The value a layer gives (blank counts as unset), else jxen's default for it, if it has one. */
    Optional<String> text(String key) {
        Optional<String> set = layers.get(key).map(ConfigValue::text).map(String::strip).filter(s -> !s.isEmpty());
        return set.isPresent() ? set : Settings.defaultOf(key);
    }

    /** A setting that has a default, so always a value. */
    String value(String key) {
        return text(key).orElseThrow(() -> new IllegalStateException("setting " + key + " has no default in the catalog"));
    }

    List<String> list(String key) {
        List<String> out = new ArrayList<>();
        layers.get(key).ifPresent(v -> v.values().forEach(x -> {
            for (String part : x.split("[\\s,]+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }));
        return out;
    }

    List<String> splitNames(String key) {
        List<String> out = list(key);
        for (String r : out) {
            if (!r.matches("[A-Za-z0-9_./+-]+") || r.contains("..")) {
                problems.add(where(key) + ": '" + r + "' is not a role name or path");
            }
        }
        return out;
    }

    <T> T required(String key, Function<String, T> parse) {
        Optional<String> t = text(key);
        if (t.isEmpty()) {
            problems.add("--" + key + " is required");
            return null;
        }
        try {
            return parse.apply(t.get());
        } catch (IllegalArgumentException e) {
            problems.add(where(key) + ": " + e.getMessage());
            return null;
        }
    }

    /** 1 or 0 (also yes/no, true/false, on/off), jxen's default where unset. */
    boolean flag(String key) {
        String t = text(key).orElse("0");
        switch (t.toLowerCase(Locale.ROOT)) {
            case "1", "yes", "true", "on" -> {
                return true;
            }
            case "0", "no", "false", "off" -> {
                return false;
            }
            default -> {
                problems.add(where(key) + ": must be 1 or 0 (or yes/no)");
                return Settings.defaultOf(key).map("1"::equals).orElse(false);
            }
        }
    }

    /** A size, or null when the setting is unset and has no default. */
    Size size(String key, boolean bareMeansMiB) {
        Optional<String> t = text(key);
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Size.parse(t.get(), bareMeansMiB);
        } catch (IllegalArgumentException e) {
            problems.add(where(key) + ": " + e.getMessage());
            return null;
        }
    }

    int integer(String key, int min, int max) {
        String t = value(key);
        try {
            int v = Integer.parseInt(t);
            if (v < min || v > max) {
                problems.add(where(key) + ": must be from " + min + " to " + max);
            }
            return Math.max(min, Math.min(max, v));
        } catch (NumberFormatException e) {
            problems.add(where(key) + ": must be a whole number from " + min + " to " + max);
            return Integer.parseInt(Settings.defaultOf(key).orElse(String.valueOf(min)));
        }
    }

    /** An absolute path without '..' or control characters. */
    Path path(String key) {
        String t = value(key);
        if (!isSafeAbsolutePath(t)) {
            problems.add(where(key) + ": must be an absolute path without '..' or control characters");
            return Path.of(Settings.defaultOf(key).orElse("/"));
        }
        return Path.of(t);
    }

    String existingFile(String key) {
        Optional<String> t = text(key);
        if (t.isEmpty()) {
            return null;
        }
        if (hasControlCharacters(t.get())) {
            problems.add(where(key) + ": holds a control character; name the file without one");
            return null;
        }
        if (!Files.isRegularFile(Path.of(t.get()))) {
            problems.add(where(key) + ": no such file; give an existing one, or unset it with --" + key
                    + "= (with --pygrub the guest boots its own kernel)");
            return null;
        }
        return t.get();
    }

    String ifname(String key) {
        String t = text(key).orElse(null);
        if (t != null && !IFNAME.matcher(t).matches()) {
            problems.add(where(key) + ": must be an interface name of 1 to 15 letters, digits or '_.:-'");
        }
        return t;
    }

    void checkBlockDevice(String key) {
        String dev = text(key).orElse("");
        Path p = Path.of(dev);
        if (!dev.startsWith("/dev/") || dev.contains("..") || hasControlCharacters(dev)) {
            problems.add(where(key) + ": must be a device path under /dev");
        } else if (!Files.exists(p)) {
            problems.add(where(key) + ": no such device");
        }
    }

    void checkUrl(String key, String value, Set<String> schemes) {
        try {
            URI u = new URI(value);
            if (u.getScheme() == null || !schemes.contains(u.getScheme().toLowerCase(Locale.ROOT))
                    || (!u.getScheme().equals("file") && (u.getHost() == null || u.getHost().isEmpty()))) {
                problems.add(where(key) + ": must be a URL with a host, such as http://mirror.example/debian (schemes: "
                        + new java.util.TreeSet<>(schemes) + ")");
            } else if (u.getRawUserInfo() != null) {
                problems.add(where(key) + ": holds a user name or password, which would show in plans, logs and the guest's files; "
                        + "give the credentials to apt in /etc/apt/auth.conf.d instead");
            } else if (value.contains("\\") || hasControlCharacters(value)
                    || java.util.regex.Pattern.compile("%(?:[01][0-9A-Fa-f]|7[Ff]|5[Cc])").matcher(value).find()) {
                problems.add(where(key) + ": holds a backslash or a control character, plainly or %-encoded, which no mirror's path needs "
                        + "and which would reach the preseed and the guest's apt sources decoded");
            }
        } catch (URISyntaxException e) {
            problems.add(where(key) + ": is not a URL: " + e.getReason());
        }
    }

    static boolean isSafeAbsolutePath(String p) {
        if (p == null || !p.startsWith("/") || hasControlCharacters(p)) {
            return false;
        }
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** Paths go into the .cfg, fstab and commands: no newline, tab or other control character in them. */
    static boolean hasControlCharacters(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    static boolean nonEmpty(ConfigValue v) {
        return v != null && !v.text().isBlank();
    }

    /** How the user wrote the setting: {@code --size=0} or {@code size = 0 (FILE:LINE)}. */
    String where(String key) {
        Optional<ConfigValue> v = layers.get(key);
        if (v.isEmpty()) {
            return "--" + key;
        }
        String shown = Settings.isSecret(key) ? "********" : v.get().text();
        if (v.get().origin().equals(CommandLineLayer.ORIGIN)) {
            return "--" + key + (shown.isEmpty() ? "" : "=" + shown);
        }
        return key + " = " + shown + " (" + v.get().origin() + ")";
    }
}
