package dev.jxen.mirror;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mirror's Release as a hostile mirror would serve it under dists/bookworm: another release's, one
 * that says nothing of itself, expired, from the future, undated, older than one seen before. Each is
 * refused with its reason; the current one passes and is remembered.
 */
class ReleaseFieldsTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final String URL = "http://mirror.example/debian/dists/bookworm/InRelease";

    static String release(String fields) {
        return "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n" + fields.replace(";", "\n")
                + "\nSHA256:\n 0123 12 main/binary-amd64/Packages\n-----BEGIN PGP SIGNATURE-----\nxx\n";
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "Suite: oldoldstable;Codename: bullseye;Date: Sat, 05 Dec 2026 10:00:00 UTC | is the Release of bullseye (suite oldoldstable), not of bookworm",
        "Suite: stable;Codename: trixie;Date: Sat, 05 Dec 2026 10:00:00 UTC        | is the Release of trixie (suite stable), not of bookworm",
        "Suite: bookworm-security;Codename: bookworm-security;Date: Sat, 05 Dec 2026 10:00:00 UTC | not of bookworm",
        "Date: Sat, 05 Dec 2026 10:00:00 UTC                                        | is the Release of no codename (suite none)",
        "Suite: oldstable;Codename: Bookworm;Date: Sat, 05 Dec 2026 10:00:00 UTC   | not of bookworm",
        "Suite: oldstable;Codename: bookworm;Date: Sat, 05 Dec 2026 10:00:00 UTC;Valid-Until: Sun, 06 Dec 2026 10:00:00 UTC | expired at 2026-12-06T10:00:00Z",
        "Suite: oldstable;Codename: bookworm;Date: Sun, 05 Dec 2027 10:00:00 UTC   | in the future",
        "Suite: oldstable;Codename: bookworm                                        | has no Date",
        "Suite: oldstable;Codename: bookworm;Date: yesterday                        | has no Date",
        "Suite: oldstable;Codename: bookworm;Date: Fri, 01 Jan 2021 00:00:00 UTC   | older than the one jxen saw there",
        "Origin: Debian;Label: bookworm;Date: Sat, 05 Dec 2026 10:00:00 UTC        | is the Release of no codename",
        "Codename: bookworm;Date: Sat, 05 Dec 2026 10:00:00 UTC;Valid-Until: soon  | has a Valid-Until jxen cannot read",
        "Suite: oldstable;Codename: bookworm;Date: Sat, 05 Dec 2026 10:00:00 UTC;Valid-Until: Sat, 05 Dec 2026 11:00:00 UTC | expired at 2026-12-05T11:00:00Z",
    })
    void aReleaseThatIsNotTheCurrentOneOfBookwormIsRefused(String fields, String expected, @TempDir Path tmp) throws Exception {
        ReleaseHistory history = new ReleaseHistory(tmp);
        history.record("http://mirror.example/debian/dists/bookworm/", Instant.parse("2025-06-01T00:00:00Z"));
        List<String> problems = ReleaseCheck.problems(URL, release(fields.strip()), "bookworm", "http://mirror.example/debian/dists/bookworm/", history, NOW);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected.strip())), "problems " + problems + " should say '" + expected.strip() + "'");
        assertEquals(Instant.parse("2025-06-01T00:00:00Z"), history.newest("http://mirror.example/debian/dists/bookworm/").orElseThrow(),
                "a refused Release is not remembered");
    }

    @Test
    void theCurrentReleaseByCodenameOrSuitePassesAndIsRemembered(@TempDir Path tmp) throws Exception {
        ReleaseHistory history = new ReleaseHistory(tmp);
        String text = release("Origin: Debian;Suite: oldstable;Codename: bookworm;Date: Sat, 05 Dec 2026 10:00:00 UTC");
        assertEquals(List.of(), ReleaseCheck.problems(URL, text, "bookworm", "s/", history, NOW));
        assertEquals(List.of(), ReleaseCheck.problems(URL, text, "oldstable", "s/", history, NOW));
        assertEquals(Instant.parse("2026-12-05T10:00:00Z"), history.newest("s/").orElseThrow());
        String older = release("Suite: oldstable;Codename: bookworm;Date: Fri, 04 Dec 2026 10:00:00 UTC");
        assertTrue(ReleaseCheck.problems(URL, older, "bookworm", "s/", history, NOW).get(0).contains("older than the one jxen saw there"));
        assertEquals(List.of(), ReleaseCheck.problems(URL, older, "bookworm", "another-mirror/", history, NOW), "the history is per mirror suite");
    }
}
