package dev.jxen.mirror;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jxen's mirror proxy for a sandboxed guest, spoken to over its unix socket as the guest's relay
 * does: the mirror's files come through (keep-alive, HEAD, ranges, errors as they are), and anything
 * else the guest asks for is refused and reported.
 */
class GuestMirrorProxyTest {
    @TempDir
    Path tmp;
    HttpServer mirror;
    GuestMirrorProxy proxy;
    final List<String> reported = new ArrayList<>();
    String base;
    static final String RELEASE = "Origin: Debian\nSuite: stable\n";

    @BeforeEach
    void start() throws Exception {
        mirror = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mirror.createContext("/debian/", ex -> {
            byte[] body = RELEASE.getBytes(StandardCharsets.UTF_8);
            if (!ex.getRequestURI().getPath().equals("/debian/dists/bookworm/Release")) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            String range = ex.getRequestHeaders().getFirst("Range");
            ex.getResponseHeaders().add("Last-Modified", "Sat, 05 Dec 2026 10:00:00 GMT");
            ex.getResponseHeaders().add("X-Secret-Of-The-Mirror", "not for the guest");
            if (range != null && range.equals("bytes=8-")) {
                ex.getResponseHeaders().add("Content-Range", "bytes 8-" + (body.length - 1) + "/" + body.length);
                byte[] part = java.util.Arrays.copyOfRange(body, 8, body.length);
                ex.sendResponseHeaders(206, ex.getRequestMethod().equals("HEAD") ? -1 : part.length);
                ex.getResponseBody().write(part);
            } else {
                ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
                if (!ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseBody().write(body);
                }
            }
            ex.close();
        });
        mirror.start();
        base = "http://127.0.0.1:" + mirror.getAddress().getPort();
        proxy = GuestMirrorProxy.start(tmp.resolve("mirror.sock"), List.of(URI.create(base + "/debian")), Optional.empty(), reported::add);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        mirror.stop(0);
    }

    /** One connection to the proxy, as the relay in the sandbox makes it. */
    final class Guest implements AutoCloseable {
        final SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        final InputStream in;
        final OutputStream out;

        Guest() throws IOException {
            ch.connect(UnixDomainSocketAddress.of(proxy.socket()));
            in = Channels.newInputStream(ch);
            out = Channels.newOutputStream(ch);
        }

        Guest send(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        /** status line, headers (lower-case names) and body of one answer */
        String[] answer() throws IOException {
            return answer(false);
        }

        String[] answer(boolean head) throws IOException {
            String status = GuestMirrorProxy.readLine(in);
            var headers = GuestMirrorProxy.readHeaders(in);
            int length = Integer.parseInt(headers.getOrDefault("content-length", "-1"));
            String body;
            if (head) {
                body = "";
            } else if (length >= 0) {
                body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            } else {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new String[]{status, headers.toString(), body};
        }

        /** true when the proxy has closed the connection */
        boolean closed() {
            try {
                return in.read() < 0;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    @Test
    void theMirrorsFilesComeThroughOnOneConnection() throws Exception {
        try (Guest g = new Guest()) {
            String get = "GET " + base + "/debian/dists/bookworm/Release HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Debian APT-HTTP/1.3\r\n\r\n";
            String[] first = g.send(get).answer();
            assertEquals("HTTP/1.1 200 OK", first[0]);
            assertEquals(RELEASE, first[2]);
            assertTrue(first[1].contains("last-modified"), first[1]);
            assertTrue(!first[1].contains("x-secret"), "a header of the mirror's that jxen does not pass: " + first[1]);
            String[] second = g.send(get).answer();
            assertEquals(RELEASE, second[2], "the second request on the same connection");
            String[] head = g.send("HEAD " + base + "/debian/dists/bookworm/Release HTTP/1.1\r\n\r\n").answer(true);
            assertTrue(head[0].startsWith("HTTP/1.1 200"), head[0]);
            assertEquals("", head[2]);
            String[] range = g.send("GET " + base + "/debian/dists/bookworm/Release HTTP/1.1\r\nRange: bytes=8-\r\n\r\n").answer();
            assertTrue(range[0].startsWith("HTTP/1.1 206"), range[0]);
            assertEquals(RELEASE.substring(8), range[2]);
            String[] missing = g.send("GET " + base + "/debian/dists/nosuch/Release HTTP/1.1\r\n\r\n").answer();
            assertTrue(missing[0].startsWith("HTTP/1.1 404"), missing[0]);
        }
        assertEquals(5, proxy.tally().fetched());
        assertEquals(List.of(), reported);
    }

    @Test
    void everythingElseIsRefusedAndReported() throws Exception {
        int other;
        try (ServerSocket s = new ServerSocket(0)) {
            other = s.getLocalPort();
        }
        List<String> refusedTargets = List.of(
                "GET http://127.0.0.1:" + other + "/debian/dists/bookworm/Release HTTP/1.1",
                "GET http://localhost:" + mirror.getAddress().getPort() + "/debian/ HTTP/1.1",
                "GET https://127.0.0.1:" + mirror.getAddress().getPort() + "/debian/ HTTP/1.1",
                "GET http://user@127.0.0.1:" + mirror.getAddress().getPort() + "/debian/ HTTP/1.1",
                "GET http://169.254.169.254/latest/meta-data HTTP/1.1",
                "GET file:///etc/shadow HTTP/1.1",
                "GET /debian/dists/bookworm/Release HTTP/1.1",
                "DELETE " + base + "/debian/dists/bookworm/Release HTTP/1.1",
                "CONNECT 127.0.0.1:22 HTTP/1.1");
        for (String line : refusedTargets) {
            try (Guest g = new Guest()) {
                String[] a = g.send(line + "\r\nHost: x\r\n\r\n").answer();
                assertTrue(a[0].startsWith("HTTP/1.1 403"), line + " -> " + a[0]);
                assertTrue(a[2].contains("reaches only " + base) || a[2].contains("answers only"), a[2]);
            }
        }
        assertEquals(refusedTargets.size() - 1, reported.stream().filter(r -> r.contains("a guest's sandbox reaches only")).count(), String.join("\n", reported));
        assertEquals(refusedTargets.size(), proxy.tally().refused());
        assertEquals(0, proxy.tally().fetched());
    }

    @Test
    void aRedirectGoesBackToTheGuestAndItsTargetIsCheckedLikeAnyRequest() throws Exception {
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
        elsewhere.createContext("/", ex -> {
            hits.incrementAndGet();
            byte[] b = "a dom0 service's answer".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        elsewhere.start();
        String target = "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/admin";
        mirror.createContext("/debian/redirect", ex -> {
            ex.getResponseHeaders().add("Location", target);
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        try (Guest g = new Guest()) {
            String[] a = g.send("GET " + base + "/debian/redirect HTTP/1.1\r\n\r\n").answer();
            assertTrue(a[0].startsWith("HTTP/1.1 302"), a[0]);
            assertTrue(a[1].contains("location=" + target), a[1]);
            String[] b = g.send("GET " + target + " HTTP/1.1\r\n\r\n").answer();
            assertTrue(b[0].startsWith("HTTP/1.1 403"), b[0]);
        } finally {
            elsewhere.stop(0);
        }
        assertEquals(0, hits.get(), "jxen followed the mirror's redirect to another host");
    }

    @Test
    void aHeaderThatIsNotAsciiIsRefused() throws Exception {
        try (Guest g = new Guest()) {
            String[] a = g.send("GET " + base + "/debian/dists/bookworm/Release HTTP/1.1\r\nUser-Agent: \u00e9\u00e9\r\n\r\n").answer();
            assertTrue(a[0].startsWith("HTTP/1.1 400"), a[0]);
        }
    }

    @Test
    void malformedOrOversizedRequestsCloseTheConnection() throws Exception {
        try (Guest g = new Guest()) {
            g.send("GET " + base + "/" + "a".repeat(GuestMirrorProxy.MAX_LINE + 10) + " HTTP/1.1\r\n\r\n");
            assertTrue(g.closed(), "a request line longer than the limit");
        }
        try (Guest g = new Guest()) {
            StringBuilder r = new StringBuilder("GET " + base + "/debian/dists/bookworm/Release HTTP/1.1\r\n");
            for (int i = 0; i <= GuestMirrorProxy.MAX_HEADERS; i++) {
                r.append("X-").append(i).append(": y\r\n");
            }
            String[] a = g.send(r.append("\r\n").toString()).answer();
            assertTrue(a[0].startsWith("HTTP/1.1 400"), a[0]);
        }
        try (Guest g = new Guest()) {
            String[] a = g.send("GET " + base + "/debian/dists/bookworm/Release HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello").answer();
            assertTrue(a[0].startsWith("HTTP/1.1 400"), a[0]);
        }
        try (Guest g = new Guest()) {
            String[] a = g.send("GET\r\n\r\n").answer();
            assertTrue(a[0].startsWith("HTTP/1.1 400"), a[0]);
        }
        try (Guest g = new Guest()) {
            String[] a = g.send("GET " + base + "/debian/dists/bookworm/Release HTTP/1.1\r\nBad\u0001Header: x\r\n\r\n").answer();
            assertTrue(a[0].startsWith("HTTP/1.1 400"), a[0]);
        }
        assertEquals(0, proxy.tally().fetched());
    }

    @Test
    void onlyHttpAndHttpsMirrorsMakeOrigins() {
        assertEquals(Optional.of("http://deb.example:80"), GuestMirrorProxy.origin(URI.create("http://DEB.example/debian")));
        assertEquals(Optional.of("https://deb.example:8443"), GuestMirrorProxy.origin(URI.create("https://deb.example:8443/")));
        assertEquals(Optional.empty(), GuestMirrorProxy.origin(URI.create("ftp://deb.example/debian")));
        assertEquals(Optional.empty(), GuestMirrorProxy.origin(URI.create("http://u:p@deb.example/debian")));
    }
}
