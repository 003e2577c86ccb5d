package dev.jxen.mirror;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Downloads one file of a mirror to a path, bounded in size, with its SHA-256 computed on the way;
 * what it fetched is checked by the caller against a hash it already trusts.
 */
public final class Download {
    /** The mirror answered 404: it does not serve the file (some proxies pass the pool and not {@code images/}). */
    public static final class NotServed extends IOException {
        private static final long serialVersionUID = 1L;

        NotServed(String url, int code) {
            super(url + " answered HTTP " + code);
        }
    }

    /** @param sha256 lower-case hex */
    public record Fetched(Path file, long bytes, String sha256) {
    }

    private final OkHttpClient client;

    public Download(Optional<String> proxy, int timeoutSeconds) {
        client = MirrorHttp.builder(proxy, timeoutSeconds).build();
    }

    /** Fetches {@code url} to {@code to} (replaced), refusing more than {@code maxBytes}. */
    public Fetched fetch(String url, long maxBytes, Path to) throws IOException {
        if (url.startsWith("file:")) {
            Path from = Path.of(URI.create(url));
            if (!Files.isRegularFile(from)) {
                throw new NotServed(url, 404);
            }
            try (InputStream in = Files.newInputStream(from)) {
                return copy(url, in, maxBytes, to);
            }
        }
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
            if (r.code() == 404 || r.code() == 403) {
                throw new NotServed(url, r.code());
            }
            if (!r.isSuccessful() || r.body() == null) {
                throw new IOException(url + " answered HTTP " + r.code());
            }
            if (r.body().contentLength() > maxBytes) {
                throw new IOException(url + " is " + r.body().contentLength() + " bytes, more than the " + maxBytes + " such a file may be; refused");
            }
            try (InputStream in = r.body().byteStream()) {
                return copy(url, in, maxBytes, to);
            }
        }
    }

    private static Fetched copy(String url, InputStream in, long maxBytes, Path to) throws IOException {
        MessageDigest sha = sha256();
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new IOException(url + " sent more than the " + maxBytes + " bytes such a file may be; refused");
                }
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
        return new Fetched(to, total, HexFormat.of().formatHex(sha.digest()));
    }

    /** The SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
