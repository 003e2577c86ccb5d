package dev.jxen.mirror;

import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the HTTP proxy the base install should fetch through: {@code --apt_proxy}, else the proxy apt
 * itself is configured with ({@code Acquire::http::Proxy}), else an apt-cacher-ng answering on
 * 127.0.0.1:3142.
 */
public final class AptProxy {
    /** Where apt-cacher-ng listens by default. */
    public static final String LOCAL_APT_CACHER = "http://127.0.0.1:3142";
    private static final Pattern APT_CONFIG = Pattern.compile("Acquire::http::Proxy \"([^\"]*)\";");

    /** The proxy and where it came from. */
    public record Found(String url, String source) {
    }

    private AptProxy() {
    }

    public static Optional<Found> detect(Optional<String> configured, CommandRunner runner) {
        if (configured.isPresent()) {
            return Optional.of(new Found(configured.get(), "--apt_proxy"));
        }
        Optional<String> fromApt = fromAptConfig(runner);
        if (fromApt.isPresent()) {
            return Optional.of(new Found(fromApt.get(), "apt's Acquire::http::Proxy"));
        }
        if (answersAsAptCacherNg(LOCAL_APT_CACHER)) {
            return Optional.of(new Found(LOCAL_APT_CACHER, "apt-cacher-ng on 127.0.0.1:3142"));
        }
        return Optional.empty();
    }

    static Optional<String> fromAptConfig(CommandRunner runner) {
        CommandResult r = runner.run(Command.of("apt-config", "dump", "Acquire::http::Proxy").capturing()
                .withTimeout(java.time.Duration.ofSeconds(30)), l -> { });
        Matcher m = APT_CONFIG.matcher(r.stdout());
        if (r.ok() && m.find() && !m.group(1).isBlank() && !m.group(1).equalsIgnoreCase("DIRECT")) {
            return Optional.of(m.group(1));
        }
        return Optional.empty(); // no apt-config (not a Debian dom0), or no proxy set there
    }

    /** True if an apt-cacher-ng answers at {@code base} within half a second. */
    public static boolean answersAsAptCacherNg(String base) {
        // cleartext only where the address is http: a client that can speak TLS reads the JDK's trust store first
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(500, TimeUnit.MILLISECONDS).readTimeout(1, TimeUnit.SECONDS).callTimeout(2, TimeUnit.SECONDS)
                .proxy(java.net.Proxy.NO_PROXY);
        if (base.startsWith("http://")) {
            b.connectionSpecs(java.util.List.of(okhttp3.ConnectionSpec.CLEARTEXT));
        }
        OkHttpClient client = b.build();
        try (Response r = client.newCall(new Request.Builder().url(base + "/acng-report.html").build()).execute()) {
            String server = r.header("Server", "");
            String body = r.body() == null ? "" : BoundedBody.read(r.body(), 256 << 10, base);
            return server.toLowerCase().contains("apt-cacher") || body.contains("Apt-Cacher NG");
        } catch (Exception e) {
            return false;
        }
    }
}
