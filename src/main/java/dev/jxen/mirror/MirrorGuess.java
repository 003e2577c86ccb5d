package dev.jxen.mirror;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Guesses the mirror and suite from the dom0's apt sources: the first enabled binary source whose
 * suite is a release of the wanted family (its {@code -updates} and {@code -backports} count too,
 * {@code -security} does not, as the security archive is a different tree).
 */
public final class MirrorGuess {
    private MirrorGuess() {
    }

    /** A mirror URL (without trailing slash) and the source entry it came from. */
    public record Found(String uri, String origin) {
    }

    /** The mirror to install a release of the family whose codenames are given. */
    public static Optional<Found> mirrorFor(List<AptSource> sources, Set<String> familyReleases) {
        for (AptSource s : sources) {
            if (!s.enabled() || !s.isBinary()) {
                continue;
            }
            for (String suite : s.suites()) {
                String base = baseSuite(suite);
                if (base != null && familyReleases.contains(base)) {
                    for (String uri : s.uris()) {
                        if (uri.startsWith("http://") || uri.startsWith("https://") || uri.startsWith("file:/") || uri.startsWith("ftp://")) {
                            return Optional.of(new Found(uri.replaceAll("/+$", ""), s.origin()));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The release the dom0 itself follows, if its sources name a known one. */
    public static Optional<String> dom0Suite(List<AptSource> sources, Set<String> knownReleases) {
        for (AptSource s : sources) {
            if (s.enabled() && s.isBinary()) {
                for (String suite : s.suites()) {
                    if (knownReleases.contains(suite)) {
                        return Optional.of(suite);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String baseSuite(String suite) {
        if (suite.endsWith("-security") || suite.contains("/")) {
            return null;
        }
        return suite.replaceAll("-(updates|backports|proposed)$", "");
    }
}
