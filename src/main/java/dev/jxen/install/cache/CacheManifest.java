package dev.jxen.install.cache;

import dev.jxen.system.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that shapes a base tree. Its canonical JSON (sorted keys, sorted package list) is
 * stored beside the cached tarball, and its SHA-256 is the cache key.
 */
public record CacheManifest(String dist, String arch, String installer, String variant, List<String> packages,
                            String mirror, String releaseDate, String releaseSha256, String keyring) {
    /** Bump when the way trees are packed changes. */
    public static final int FORMAT = 1;

    public CacheManifest {
        packages = packages.stream().sorted().toList();
    }

    public Map<String, Object> fields() {
        Map<String, Object> m = new TreeMap<>();
        m.put("format", FORMAT);
        m.put("dist", dist);
        m.put("arch", arch);
        m.put("installer", installer);
        m.put("variant", variant);
        m.put("packages", packages);
        m.put("mirror", mirror);
        m.put("release-date", releaseDate);
        m.put("release-sha256", releaseSha256);
        m.put("keyring", keyring == null ? "" : keyring);
        return m;
    }

    public String canonicalJson() {
        return Json.write(fields());
    }

    public String key() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonicalJson().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fields in which {@code other} (a stored manifest, as parsed JSON strings) differs from this one. */
    public List<String> differences(Map<String, String> other) {
        Map<String, Object> mine = fields();
        List<String> out = new java.util.ArrayList<>();
        for (var e : mine.entrySet()) {
            String a = String.valueOf(e.getValue() instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : e.getValue());
            String b = other.get(e.getKey());
            if (!a.equals(b)) {
                out.add(e.getKey() + " (" + b + " -> " + a + ")");
            }
        }
        return out;
    }

    static Map<String, String> flatten(Map<String, Object> fields) {
        Map<String, String> m = new LinkedHashMap<>();
        fields.forEach((k, v) -> m.put(k, v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v)));
        return m;
    }
}
