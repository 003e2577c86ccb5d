package dev.jxen.render;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.PartitionSpec;
import dev.jxen.error.InvalidInputException;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data model of {@code preseed.cfg.ftl}: the guest's model (GuestModel) and what only the
 * Debian Installer needs: the mirror as its parts, the root password's hash, the one disk it
 * partitions and the partitions in the layout's order, and the late command. Every value is one
 * line: a preseed value ends at the line's end, so a newline would be another answer.
 */
public final class PreseedModel {
    private PreseedModel() {
    }

    /**
     * @param installDisk      the guest's disk as the installer sees it ({@code /dev/xvda})
     * @param rootPasswordHash a crypt(3) hash, or empty for a locked root password
     * @param lateCommand      one shell line run at the end of the install
     */
    public static Map<String, Object> of(ImageSpec spec, String installDisk, String rootPasswordHash, String lateCommand) {
        Map<String, Object> m = new LinkedHashMap<>(GuestModel.of(spec));
        URI mirror = URI.create(spec.install().mirror().orElseThrow());
        if (!"http".equals(mirror.getScheme()) && !"https".equals(mirror.getScheme())) {
            throw new InvalidInputException("--mirror " + mirror + ": the Debian Installer fetches packages over http or https; give an http:// mirror");
        }
        m.put("mirror_protocol", mirror.getScheme());
        m.put("mirror_host", mirror.getHost() + (mirror.getPort() > 0 ? ":" + mirror.getPort() : ""));
        m.put("mirror_directory", mirror.getPath() == null || mirror.getPath().isEmpty() ? "/" : mirror.getPath());
        m.put("apt_proxy", spec.install().aptProxy().orElse(""));
        m.put("root_password_hash", rootPasswordHash);
        m.put("install_disk", installDisk);
        List<Map<String, Object>> parts = new ArrayList<>();
        for (PartitionSpec p : spec.storage().partitions()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", p.name());
            x.put("mebibytes", p.size().mebibytesRoundedUp());
            x.put("swap", p.isSwap());
            x.put("type", p.type());
            x.put("mountpoint", p.mountpoint() == null ? "" : p.mountpoint());
            parts.add(x);
        }
        m.put("partitions", parts);
        m.put("packages", spec.install().extraPackages());
        m.put("late_command", lateCommand);
        oneLine(m, "");
        return m;
    }

    private static void oneLine(Object value, String where) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> oneLine(v, where.isEmpty() ? String.valueOf(k) : where + "." + k));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> oneLine(v, where));
        } else if (value instanceof String s && (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0)) {
            throw new InvalidInputException("the preseed's " + where + " holds a line break, which would end its answer and start another");
        }
    }
}
