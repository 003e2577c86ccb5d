package dev.jxen.mirror;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one way out of an untrusted guest's sandbox: an HTTP proxy on a unix socket that fetches from
 * the configured mirror and from nothing else. The guest's apt is pointed at it (through a relay in
 * the sandbox's network namespace, {@code libexec/jxen-jail}); jxen, not the guest, talks to the
 * network, through the dom0's apt proxy when it has one.
 *
 * <p>It answers {@code GET} and {@code HEAD} for {@code http://} URLs of an allowed origin, and
 * {@code CONNECT} to an allowed {@code https://} origin's host and port (apt's way to an https mirror
 * through a proxy). Everything else gets a 403 that names what is allowed, and is reported. Requests
 * are read with bounded lines and headers; nothing from the guest reaches a command line or a file.
 */
public final class GuestMirrorProxy implements Closeable {
    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 100;
    static final int MAX_CONNECTIONS = 16;
    static final long MAX_BODY = 4L << 30;
    /** Request headers passed to the mirror; every other header of the guest's is dropped. */
    private static final Set<String> PASSED_REQUEST = Set.of("range", "if-range", "if-modified-since", "if-none-match", "user-agent", "cache-control", "pragma");
    /** Response headers passed back; hop-by-hop and framing headers are jxen's own. */
    private static final Set<String> PASSED_RESPONSE = Set.of("content-type", "last-modified", "etag", "content-range", "accept-ranges", "date", "cache-control", "expires",
            "location");

    /** What went through the proxy, for the run's log. */
    public record Tally(int fetched, int refused, long bytes) {
    }

    private final ServerSocketChannel server;
    private final Path socket;
    private final Set<String> origins;
    private final OkHttpClient http;
    private final Consumer<String> report;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger fetched = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean closed;

    private GuestMirrorProxy(ServerSocketChannel server, Path socket, Set<String> origins, OkHttpClient http, Consumer<String> report) {
        this.server = server;
        this.socket = socket;
        this.origins = origins;
        this.http = http;
        this.report = report;
    }

    /**
     * Starts the proxy on a new unix socket.
     *
     * @param socket   where to listen: a path in a directory only root can enter
     * @param mirrors  the URLs whose origins (scheme, host, port) may be fetched
     * @param aptProxy the dom0's apt proxy, which jxen's own requests go through
     * @param report   told of every refused request, in words
     */
    public static GuestMirrorProxy start(Path socket, List<URI> mirrors, Optional<String> aptProxy, Consumer<String> report) throws IOException {
        Set<String> origins = new LinkedHashSet<>();
        for (URI m : mirrors) {
            origin(m).ifPresent(origins::add);
        }
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("no http or https mirror to allow: " + mirrors);
        }
        // a redirect goes back to the guest's apt, which asks again through this proxy: the next origin is checked like the first
        OkHttpClient http = MirrorHttp.builder(aptProxy, 60).followRedirects(false).followSslRedirects(false).retryOnConnectionFailure(true).build();
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        GuestMirrorProxy p = new GuestMirrorProxy(server, socket, Set.copyOf(origins), http, report);
        Thread t = new Thread(p::acceptLoop, "jxen-mirror-proxy");
        t.setDaemon(true);
        t.start();
        return p;
    }

    /** {@code scheme://host:port} of an http or https URL, host in lower case; empty for anything else. */
    static Optional<String> origin(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getRawUserInfo() != null) {
            return Optional.empty();
        }
        int port = u.getPort() > 0 ? u.getPort() : scheme.equals("http") ? 80 : 443;
        return Optional.of(scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port);
    }

    public Path socket() {
        return socket;
    }

    /** The origins a guest may fetch from, for the plan and the log. */
    public Set<String> origins() {
        return origins;
    }

    public Tally tally() {
        return new Tally(fetched.get(), refused.get(), bytes.get());
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;
            }
            if (!slots.tryAcquire()) {
                closeQuietly(c);
                continue;
            }
            open.add(c);
            Thread t = new Thread(() -> {
                try {
                    serve(c);
                } finally {
                    open.remove(c);
                    closeQuietly(c);
                    slots.release();
                }
            }, "jxen-mirror-proxy-connection");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel c) {
        try {
            InputStream in = Channels.newInputStream(c);
            OutputStream out = Channels.newOutputStream(c);
            while (!closed) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                if (line.isEmpty()) {
                    continue;
                }
                Map<String, String> headers = readHeaders(in);
                if (headers == null) {
                    answer(out, 400, "bad request headers", true);
                    return;
                }
                if (!handle(line, headers, in, out)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the guest closed the connection, or sent something that is not HTTP: nothing to answer
        }
    }

    /** One request; false when the connection must close after it. */
    private boolean handle(String requestLine, Map<String, String> headers, InputStream in, OutputStream out) throws IOException {
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            answer(out, 400, "not an HTTP/1 request line", true);
            return false;
        }
        if (headers.containsKey("content-length") && !headers.get("content-length").equals("0") || headers.containsKey("transfer-encoding")) {
            answer(out, 400, "a request with a body", true);
            return false;
        }
        boolean keepAlive = !"close".equalsIgnoreCase(headers.getOrDefault("connection", "")) && !"close".equalsIgnoreCase(headers.getOrDefault("proxy-connection", ""));
        String method = parts[0];
        switch (method) {
            case "GET", "HEAD" -> {
                return fetch(method, parts[1], headers, out) && keepAlive;
            }
            case "CONNECT" -> {
                tunnel(parts[1], in, out);
                return false;
            }
            default -> {
                refuse(out, method + " " + parts[1], "jxen's mirror proxy answers only GET, HEAD and CONNECT");
                return keepAlive;
            }
        }
    }

    private boolean fetch(String method, String target, Map<String, String> headers, OutputStream out) throws IOException {
        URI u;
        try {
            u = new URI(target);
        } catch (URISyntaxException e) {
            answer(out, 400, "not a URL: " + e.getReason(), true);
            return false;
        }
        Optional<String> origin = origin(u);
        if (origin.isEmpty() || !origin.get().startsWith("http:") || !origins.contains(origin.get()) || u.getRawFragment() != null) {
            refuse(out, target, "a guest's sandbox reaches only " + String.join(", ", origins));
            return true;
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        String url = origin.get() + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        Request.Builder rb = new Request.Builder().url(url).header("Accept-Encoding", "identity");
        headers.forEach((k, v) -> {
            if (PASSED_REQUEST.contains(k)) {
                rb.header(k, v);
            }
        });
        rb.method(method, null);
        Response r;
        try {
            r = http.newCall(rb.build()).execute();
        } catch (IOException e) {
            answer(out, 502, "jxen could not fetch " + url + ": " + e.getMessage(), true);
            return false;
        }
        try (r) {
            return relay(method, r, out);
        }
    }

    /** The mirror's answer, passed to the guest; false when the connection cannot carry another request. */
    private boolean relay(String method, Response r, OutputStream out) throws IOException {
        ResponseBody body = r.body();
        boolean bodiless = method.equals("HEAD") || r.code() == 304 || r.code() == 204;
        long length = bodiless ? 0 : body == null ? 0 : body.contentLength();
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.code()).append(' ').append(reason(r.message())).append("\r\n");
        for (String name : r.headers().names()) {
            if (PASSED_RESPONSE.contains(name.toLowerCase(Locale.ROOT))) {
                for (String v : r.headers(name)) {
                    head.append(name).append(": ").append(v.replaceAll("[\\r\\n]", " ")).append("\r\n");
                }
            }
        }
        String announced = method.equals("HEAD") ? r.header("Content-Length") : length >= 0 ? String.valueOf(length) : null;
        if (announced != null && announced.matches("[0-9]{1,18}")) {
            head.append("Content-Length: ").append(announced).append("\r\n");
        }
        head.append(length < 0 ? "Connection: close\r\n" : "").append("\r\n");
        fetched.incrementAndGet();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        long sent = 0;
        if (!bodiless && body != null) {
            try (InputStream b = body.byteStream()) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = b.read(buf)) > 0) {
                    sent += n;
                    if (sent > MAX_BODY || length >= 0 && sent > length) {
                        throw new IOException("the mirror sent more than it announced");
                    }
                    out.write(buf, 0, n);
                }
            }
        }
        out.flush();
        bytes.addAndGet(sent);
        return length >= 0 && sent == length;
    }

    private void tunnel(String target, InputStream in, OutputStream out) throws IOException {
        int colon = target.lastIndexOf(':');
        String host = colon < 0 ? target : target.substring(0, colon);
        int port;
        try {
            port = colon < 0 ? 443 : Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            answer(out, 400, "not host:port", true);
            return;
        }
        String origin = "https://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        if (!origins.contains(origin)) {
            refuse(out, "CONNECT " + target, "a guest's sandbox reaches only " + String.join(", ", origins));
            return;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 30_000);
            open.add(s);
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            fetched.incrementAndGet();
            Thread up = new Thread(() -> pump(in, outputOf(s)), "jxen-mirror-proxy-tunnel");
            up.setDaemon(true);
            up.start();
            pump(s.getInputStream(), out);
            open.remove(s);
        } catch (IOException e) {
            answer(out, 502, "jxen could not connect to " + origin + ": " + e.getMessage(), true);
        }
    }

    private static OutputStream outputOf(Socket s) {
        try {
            return s.getOutputStream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void pump(InputStream from, OutputStream to) {
        byte[] buf = new byte[65536];
        try {
            int n;
            while ((n = from.read(buf)) > 0) {
                to.write(buf, 0, n);
                to.flush();
                bytes.addAndGet(n);
            }
        } catch (IOException e) {
            // one side closed: the tunnel ends
        }
    }

    private void refuse(OutputStream out, String what, String why) throws IOException {
        refused.incrementAndGet();
        String shown = what.length() > 200 ? what.substring(0, 200) + "..." : what;
        report.accept("refused the guest's request for " + shown.replaceAll("\\p{Cntrl}", "?") + ": " + why);
        answer(out, 403, "jxen: " + why + "\n", false);
    }

    private static void answer(OutputStream out, int code, String text, boolean close) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + code + " " + (code == 403 ? "Forbidden" : code == 502 ? "Bad Gateway" : "Bad Request") + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String reason(String message) {
        String r = message == null ? "" : message.replaceAll("[^\\x20-\\x7e]", "");
        return r.isEmpty() ? "-" : r.length() > 64 ? r.substring(0, 64) : r;
    }

    /** A line up to CRLF or LF, at most {@link #MAX_LINE} bytes; null at the end of the stream. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (b.size() >= MAX_LINE) {
                throw new IOException("a line longer than " + MAX_LINE + " bytes");
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /** The headers up to the empty line, names in lower case; null when there are too many or one is malformed. */
    static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            String line = readLine(in);
            if (line == null) {
                return null;
            }
            if (line.isEmpty()) {
                return h;
            }
            int colon = line.indexOf(':');
            if (i >= MAX_HEADERS || colon <= 0 || line.chars().anyMatch(ch -> ch < 0x20 && ch != '\t' || ch >= 0x7f)) {
                return null;
            }
            h.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        closeQuietly(server);
        for (Closeable c : new ArrayList<>(open)) {
            closeQuietly(c);
        }
        Files.deleteIfExists(socket);
    }
}
