package dev.jxen.mirror;

import okhttp3.OkHttpClient;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The HTTP client jxen talks to a mirror with: through the apt proxy when there is one, else directly (never the environment's). */
final class MirrorHttp {
    private MirrorHttp() {
    }

    static OkHttpClient.Builder builder(Optional<String> proxy, int timeoutSeconds) {
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(timeoutSeconds, TimeUnit.SECONDS)
                .readTimeout(timeoutSeconds, TimeUnit.SECONDS);
        if (proxy.isPresent()) {
            URI p = URI.create(proxy.get());
            b.proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(p.getHost(), p.getPort() > 0 ? p.getPort() : 80)));
        } else {
            b.proxy(Proxy.NO_PROXY);
        }
        return b;
    }
}
