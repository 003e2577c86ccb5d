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
 * Reads a file in xen-tools' configuration syntax: {@code key = value} lines, {@code #} comments (a
 * {@code #} anywhere ends the line, as in xen-tools), blank lines, a trailing {@code \} continuing a
 * line, and values in backticks replaced by the output of that shell command.
 *
 * <p>Because backticks run commands as root, a file that anyone but root could have written is
 * refused (see {@link FileTrust}).
 */
public final class XenToolsConf {
    private static final Pattern LINE = Pattern.compile("\\s*([A-Za-z0-9_.-]+)\\s*=\\s*(.*?)\\s*");
    private static final Pattern BACKTICK = Pattern.compile("`([^`]*)`");
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
        return parse(layerName, file.toString(), lines);
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
                problems.add(where + ": expected 'key = value', found '" + logical.strip() + "'");
                continue;
            }
            String key = m.group(1);
            String value = m.group(2);
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
            if (setting != null && setting.kind() == Setting.Kind.LIST && values.containsKey(key)) {
                List<String> all = new ArrayList<>(values.get(key).values());
                all.add(value);
                values.put(key, new ConfigValue(all, where));
            } else {
                values.put(key, ConfigValue.of(value, where));
            }
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
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Backticks.Result r = Backticks.run(m.group(1));
            if (r.status() != 0) {
                // xen-tools uses the output of a failing command too (Debian's own xen-tools.conf relies
                // on that for `xt-guess-suite-and-mirror`); say so instead of failing.
                warnings.add(where + ": `" + m.group(1) + "` for '" + key + "' exited with status " + r.status()
                        + (r.output().isEmpty() ? "; the value is empty and jxen treats it as unset" : ""));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(r.output()));
        }
        m.appendTail(out);
        return out.toString();
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
