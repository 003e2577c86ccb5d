package dev.jxen.mirror;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AptSourcesTest {
    static final Set<String> DEBIAN = Set.of("bullseye", "bookworm", "trixie", "sid");

    @Test
    void oneLineFormatWithOptionsAndComments() {
        List<AptSource> s = AptSources.parseOneLine("f", List.of(
                "# deb http://commented.example/debian bookworm main",
                "deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://a.example/debian bookworm main contrib # trailing",
                "deb-src http://a.example/debian bookworm main",
                "deb http://a.example/debian-security bookworm-security main",
                "garbage line"));
        assertEquals(3, s.size());
        assertEquals("amd64", s.get(0).options().get("arch"));
        assertEquals(List.of("main", "contrib"), s.get(0).components());
        assertEquals("f:2", s.get(0).origin());
        assertFalse(s.get(1).isBinary());
    }

    @Test
    void deb822WithDisabledParagraphsSeveralUrisAndContinuations() {
        List<AptSource> s = AptSources.parseDeb822("d.sources", List.of(
                "Types: deb",
                "URIs: http://off.example/debian",
                "Suites: bookworm",
                "Components: main",
                "Enabled: no",
                "",
                "# a comment",
                "Types: deb deb-src",
                "URIs: http://one.example/debian",
                " http://two.example/debian",
                "Suites: bookworm bookworm-updates",
                "Components: main non-free-firmware",
                "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg",
                "",
                "Types: deb",
                "URIs: http://sec.example/debian-security",
                "Suites: bookworm-security",
                "Components: main"));
        assertEquals(3, s.size());
        assertFalse(s.get(0).enabled());
        assertEquals(List.of("http://one.example/debian", "http://two.example/debian"), s.get(1).uris());
        assertEquals(List.of("bookworm", "bookworm-updates"), s.get(1).suites());
        assertTrue(s.get(1).options().containsKey("signed-by"));
        assertEquals("d.sources:8", s.get(1).origin());
        var guess = MirrorGuess.mirrorFor(s, DEBIAN).orElseThrow();
        assertEquals("http://one.example/debian", guess.uri(), "the disabled source and the security archive are skipped");
        assertEquals("bookworm", MirrorGuess.dom0Suite(s, DEBIAN).orElseThrow());
    }

    @Test
    void aSourceOfAnotherFamilyOrAThirdPartyRepositoryIsNotAMirror() {
        List<AptSource> s = AptSources.parseOneLine("f", List.of(
                "deb https://packages.example/apt cloud-sdk-bookworm main",
                "deb http://archive.example/ubuntu jammy main"));
        assertTrue(MirrorGuess.mirrorFor(s, DEBIAN).isEmpty());
        assertEquals("http://archive.example/ubuntu", MirrorGuess.mirrorFor(s, Set.of("jammy")).orElseThrow().uri());
    }

    @Test
    void thisMachinesOwnSourcesParse() {
        List<AptSource> s = AptSources.read(Path.of("/etc/apt"));
        assertFalse(s.isEmpty(), "this Debian machine has apt sources");
        assertTrue(s.stream().allMatch(x -> !x.uris().isEmpty() && !x.suites().isEmpty()));
        if (Files.exists(Path.of("/etc/debian_version"))) {
            assertTrue(MirrorGuess.mirrorFor(s, DEBIAN).isPresent(), "a Debian mirror is guessed from " + s);
        }
    }
}
