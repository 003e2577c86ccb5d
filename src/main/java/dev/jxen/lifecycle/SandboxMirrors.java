package dev.jxen.lifecycle;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The mirrors an untrusted guest's sandbox may fetch from: the http and https ones among those configured. */
final class SandboxMirrors {
    private SandboxMirrors() {
    }

    static List<URI> of(Optional<String> mirror, Optional<String> securityMirror) {
        List<URI> out = new ArrayList<>();
        for (Optional<String> m : List.of(mirror, securityMirror)) {
            m.map(String::strip).flatMap(SandboxMirrors::http).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<URI> http(String url) {
        try {
            URI u = new URI(url);
            return (("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null && u.getRawUserInfo() == null)
                    ? Optional.of(u) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
