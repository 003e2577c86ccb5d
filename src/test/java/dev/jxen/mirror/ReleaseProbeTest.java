package dev.jxen.mirror;

import com.sun.net.httpserver.HttpServer;
import dev.jxen.error.StageFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every read from a mirror is bounded in size and time; a mirror that sends without end is refused by URL. */
class ReleaseProbeTest {
    private HttpServer server;

    private String serve(byte[] chunk, boolean endless) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked: no length announced
            try (OutputStream out = ex.getResponseBody()) {
                do {
                    out.write(chunk);
                } while (endless);
            } catch (java.io.IOException e) {
                // the client hung up, as it should
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/debian";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anEndlessInReleaseIsCutOffAndNamedByItsUrl() throws Exception {
        String mirror = serve(("Suite: x\nCodename: y\n" + "A".repeat(65536)).getBytes(), true);
        long t0 = System.nanoTime();
        StageFailedException e = assertThrows(StageFailedException.class, () -> ReleaseProbe.probe(mirror, "bookworm", Optional.empty(), 10));
        assertTrue(e.getMessage().contains(mirror + "/dists/bookworm/InRelease sent more than 8192 KiB"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "took longer than its time limit");
    }

    @Test
    void aReleaseFileIsReadWithItsDate() throws Exception {
        String mirror = serve("Origin: Debian\nSuite: stable\nCodename: bookworm\nDate: Sat, 01 Nov 2025 10:00:00 UTC\n".getBytes(), false);
        ReleaseProbe.Release r = ReleaseProbe.probe(mirror, "bookworm", Optional.empty(), 10);
        assertEquals("Sat, 01 Nov 2025 10:00:00 UTC", r.date());
        assertEquals(64, r.sha256().length());
    }
}
