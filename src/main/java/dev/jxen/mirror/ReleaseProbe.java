package dev.jxen.mirror;

import dev.jxen.error.StageFailedException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks the mirror for {@code dists/SUITE/InRelease} (then {@code Release}) before any long install,
 * so that a wrong mirror or suite fails in seconds with the URL and the answer. The Release file's
 * date and hash also key the base-tree cache, so a changed archive refreshes it.
 */
public final class ReleaseProbe {
    private static final Pattern DATE = Pattern.compile("(?m)^Date:\\s*(.+)$");
    /** Debian's largest InRelease (sid) is a few hundred KiB. */
    static final long MAX_RELEASE_BYTES = 8L << 20;

    /** What the mirror published for the suite. */
    public record Release(String url, String date, String sha256, String text) {
    }

    private ReleaseProbe() {
    }

    public static Release probe(String mirror, String suite, Optional<String> proxy, int timeoutSeconds) {
        String base = mirror.replaceAll("/+$", "") + "/dists/" + suite + "/";
        if (mirror.startsWith("file:")) {
            for (String name : new String[] {"InRelease", "Release"}) {
                Path p = Path.of(URI.create(base + name));
                if (Files.isRegularFile(p)) {
                    if (p.toFile().length() > MAX_RELEASE_BYTES) {
                        throw fail(base + name + " is larger than " + (MAX_RELEASE_BYTES >> 20) + " MiB; refused", suite);
                    }
                    try {
                        return release(base + name, Files.readString(p));
                    } catch (IOException e) {
                        break;
                    }
                }
            }
            throw fail("the local mirror has no " + base + "InRelease or Release", suite);
        }
        OkHttpClient client = MirrorHttp.builder(proxy, timeoutSeconds).callTimeout(timeoutSeconds * 2L, TimeUnit.SECONDS).build();
        StringBuilder answers = new StringBuilder();
        for (String name : new String[] {"InRelease", "Release"}) {
            String url = base + name;
            try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
                if (r.isSuccessful() && r.body() != null) {
                    String body = BoundedBody.read(r.body(), MAX_RELEASE_BYTES, url);
                    if (!body.contains("Suite:") && !body.contains("Codename:")) {
                        answers.append(url).append(" answered ").append(r.code()).append(" but is not a Release file; ");
                        continue;
                    }
                    return release(url, body);
                }
                answers.append(url).append(" answered HTTP ").append(r.code()).append("; ");
            } catch (BoundedBody.TooLargeException e) {
                throw fail(e.getMessage(), suite);
            } catch (IOException e) {
                throw fail("could not reach the mirror at " + url + (proxy.map(p -> " through the proxy " + p).orElse(""))
                        + ": " + e.getMessage(), suite);
            }
        }
        throw fail(answers.toString().replaceAll("; $", "") + ": the suite '" + suite + "' is not on that mirror", suite);
    }

    private static Release release(String url, String body) {
        Matcher m = DATE.matcher(body);
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return new Release(url, m.find() ? m.group(1).strip() : "", sha, body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StageFailedException fail(String message, String suite) {
        return new StageFailedException("mirror", message,
                "check --mirror (or the dom0's apt sources) and --dist " + suite, null);
    }
}
