package dev.jxen.mirror;

import java.util.Optional;

/** What the mirror check found: the mirror, its Release file for the suite, and the proxy to fetch through. */
public record MirrorAnswer(String mirror, ReleaseProbe.Release release, Optional<AptProxy.Found> proxy) {
}
