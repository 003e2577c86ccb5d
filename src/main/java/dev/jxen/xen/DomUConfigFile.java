package dev.jxen.xen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an xl domU .cfg for list and delete: its simple {@code key = value} settings and the
 * {@code disk} and {@code vif} lists. It is a reader for the files jxen and xen-tools write, not a
 * full xl.cfg parser.
 */
public record DomUConfigFile(Path file, Map<String, String> values, List<String> disks, List<String> vifs) {
    private static final Pattern SETTING = Pattern.compile("(?m)^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(\\[.*?\\]|\"[^\"]*\"|'[^']*'|[^#\\n]*)", Pattern.DOTALL);
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'|\"([^\"]*)\"");

    public static DomUConfigFile read(Path file) throws IOException {
        String text = Files.readString(file).replaceAll("(?m)#.*$", "");
        Map<String, String> values = new LinkedHashMap<>();
        List<String> disks = List.of();
        List<String> vifs = List.of();
        Matcher m = SETTING.matcher(text);
        while (m.find()) {
            String key = m.group(1);
            String raw = m.group(2).strip();
            if (raw.startsWith("[")) {
                List<String> items = new ArrayList<>();
                Matcher q = QUOTED.matcher(raw);
                while (q.find()) {
                    items.add(q.group(1) != null ? q.group(1) : q.group(2));
                }
                if (key.equals("disk")) {
                    disks = items;
                } else if (key.equals("vif")) {
                    vifs = items;
                }
            } else {
                values.put(key, raw.replaceAll("^['\"]|['\"]$", ""));
            }
        }
        return new DomUConfigFile(file, values, disks, vifs);
    }

    public String name() {
        return values.getOrDefault("name", file.getFileName().toString().replaceAll("\\.cfg$", ""));
    }

    /** The backing path of each disk: {@code target=} in the xl syntax, or the first field of the old one. */
    public List<String> diskTargets() {
        List<String> out = new ArrayList<>();
        for (String d : disks) {
            String target = null;
            for (String part : d.split(",")) {
                String p = part.strip();
                if (p.startsWith("target=")) {
                    target = p.substring(7);
                }
            }
            if (target == null) {
                target = d.split(",")[0].strip().replaceFirst("^(phy|file|tap:aio|tap:qcow2|tap2:aio):", "");
            }
            out.add(target);
        }
        return out;
    }

    /** A field of the first vif, such as {@code mac} or {@code ip}. */
    public String vifField(String name) {
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
}
