package dev.jxen.config;

import dev.jxen.error.InvalidInputException;
import dev.jxen.system.Backticks;
import dev.jxen.system.FileTrust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a file in xen-tools' configuration syntax as xen-tools 4.9.2's {@code readConfigurationFile}
 * does: a trailing {@code \} continues a line; a {@code #} anywhere ends it; {@code key = value}
 * with the key up to the first {@code =}; a key with nothing at all after its {@code =} is ignored
 * (the value from a lower layer stands), while blanks after it make the value empty; one value in
 * backticks (the last pair) is replaced by the output of that shell command; a key set twice keeps
 * its last value. A line xen-tools would
 * skip without a word is skipped here with a warning naming it.
 *
 * <p>Because backticks run commands as root, a file that anyone but root could have written is
 * refused (see {@link FileTrust}).
 */
public final class XenToolsConf {
    private static final Pattern LINE = Pattern.compile("([^=]+)=(.*)", Pattern.DOTALL);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern BACKTICK = Pattern.compile("(.*)`([^`]+)`(.*)", Pattern.DOTALL);
    private static final long MAX_BYTES = 1 << 20;

    private XenToolsConf() {
    }

    public static ConfigLayer read(String layerName, Path file) {
        List<String> problems = new ArrayList<>();
        checkOwnership(file, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        List<String> lines;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException(file + ": larger than 1 MiB, which is not a configuration file");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
        }
        ConfigLayer layer = parse(layerName, file.toString(), lines);
        for (String key : layer.values().keySet()) {
            if (Settings.isSecret(key)) {
                FileTrust.readableByOthers(file).ifPresent(who -> {
                    throw new InvalidInputException(file + " holds '" + key + "', a secret, and " + who
                            + "; chmod 600 " + file + ", or give the password with --password-from FILE");
                });
            }
        }
        return layer;
    }

    static ConfigLayer parse(String layerName, String source, List<String> lines) {
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int startLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (pending.length() == 0) {
                startLine = i + 1;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1);
                continue;
            }
            pending.append(line);
            String logical = pending.toString();
            pending.setLength(0);
            int hash = logical.indexOf('#');
            if (hash >= 0) {
                logical = logical.substring(0, hash);
            }
            if (logical.isBlank()) {
                continue;
            }
            String where = source + ":" + startLine;
            Matcher m = LINE.matcher(logical);
            if (!m.matches()) {
                warnings.add(where + ": '" + printable(logical.strip()) + "' is not 'key = value'; ignored, as xen-tools ignores it");
                continue;
            }
            String key = m.group(1).strip();
            if (m.group(2).isEmpty()) {
                warnings.add(where + ": '" + printable(key) + " =' has no value; ignored, as xen-tools ignores it, so the value from "
                        + "a lower layer stands (write a blank after '=' to make it empty)");
                continue;
            }
            if (!KEY.matcher(key).matches()) {
                warnings.add(where + ": '" + printable(key) + "' is not a setting name; ignored");
                continue;
            }
            String value = m.group(2).strip();
            try {
                value = expandBackticks(value, where, key, warnings);
            } catch (RuntimeException e) {
                problems.add(where + ": the command in backticks for '" + key + "' could not run: " + e.getMessage());
                continue;
            }
            Setting setting = Settings.byKey(key).orElse(null);
            if (setting == null) {
                warnings.add(where + ": '" + key + "' is not a setting jxen knows" + nearest(key)
                        + "; it only reaches the hooks' environment");
            } else if (setting.ignored() != null) {
                warnings.add(where + ": '" + key + "' is accepted and ignored: " + setting.ignored());
            }
            if (setting != null && setting.cliOnly() && !key.equals("config-dir")) {
                problems.add(where + ": '" + key + "' is a command-line action, not a configuration key");
                continue;
            }
            if (values.containsKey(key)) {
                warnings.add(where + ": '" + key + "' is set again (first at " + values.get(key).origin()
                        + "); the last one counts, as in xen-tools");
            }
            values.put(key, ConfigValue.of(value, where));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new ConfigLayer(layerName, values, warnings);
    }

    /** ", perhaps you meant 'size'" for a key one or two edits from a known one. */
    private static String nearest(String key) {
        String best = null;
        int bestDistance = 3;
        for (Setting s : Settings.all()) {
            int d = distance(key, s.key());
            if (d < bestDistance) {
                best = s.key();
                bestDistance = d;
            }
        }
        return best == null ? "" : " (perhaps you meant '" + best + "')";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String expandBackticks(String value, String where, String key, List<String> warnings) {
        Matcher m = BACKTICK.matcher(value);
        if (!m.matches()) {
            return value;
        }
        Backticks.Result r = Backticks.run(m.group(2));
        if (r.status() != 0) {
            // xen-tools uses the output of a failing command too (Debian's own xen-tools.conf relies
            // on that for `xt-guess-suite-and-mirror`); say so instead of failing.
            warnings.add(where + ": `" + m.group(2) + "` for '" + key + "' exited with status " + r.status()
                    + (r.output().isEmpty() ? "; the value is empty and jxen treats it as unset" : ""));
        }
        return m.group(1) + r.output() + m.group(3);
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 60 ? p.substring(0, 60) + "..." : p;
    }

    private static void checkOwnership(Path file, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            problems.add(file + ": no such configuration file");
            return;
        }
        FileTrust.problem(file).ifPresent(p -> problems.add(p
                + "; its backtick values would run as root, so jxen reads only configuration files that only root can change"));
    }
}
