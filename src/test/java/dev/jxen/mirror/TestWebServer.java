package dev.jxen.mirror;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A web server (or proxy) on 127.0.0.1 for tests: answers a request with what {@link #served} holds
 * for its path (less {@code prefix}), 404 where it holds nothing, and records each request as asked
 * (less {@code prefix}) in {@link #requests}.
 */
public final class TestWebServer implements AutoCloseable {
    public final Map<String, byte[]> served = new ConcurrentHashMap<>();
    public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;

    private TestWebServer(String prefix) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String leave = "^" + java.util.regex.Pattern.quote(prefix);
            // as asked: a path, or a whole URL when the server stands for a proxy
            requests.add(ex.getRequestURI().toString().replaceFirst(leave, ""));
            byte[] body = served.get(ex.getRequestURI().getPath().replaceFirst(leave, ""));
            try (OutputStream out = ex.getResponseBody()) {
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    ex.sendResponseHeaders(200, body.length);
                    out.write(body);
                }
            }
        });
        server.start();
    }

    /** @param prefix what the recorded and looked-up paths leave out ("/debian/"), or "" */
    public static TestWebServer start(String prefix) throws IOException {
        return new TestWebServer(prefix);
    }

    /** http://127.0.0.1:PORT, without a slash at the end. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
