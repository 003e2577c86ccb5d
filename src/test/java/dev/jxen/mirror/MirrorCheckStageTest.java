package dev.jxen.mirror;

import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mirror check against a mirror served from this process on 127.0.0.1, its InRelease signed by a
 * throwaway key whose keyring stands for the archive keyring: gpgv really runs (through a recording
 * runner, which answers apt-config itself so the dom0's apt settings play no part). The mirror's
 * name is not resolved: the server is also the HTTP proxy the check fetches through.
 */
class MirrorCheckStageTest {
    private static final String MIRROR = "http://mirror.example/debian";
    private static final String IN_RELEASE = MIRROR + "/dists/bookworm/InRelease";
    private static final String SUITE_URL = MIRROR + "/dists/bookworm/";
    private static final String FAILED = "stage 'mirror' failed: ";

    @TempDir
    Path tmp;
    private TestArchiveKey key;
    private TestWebServer web;
    private String proxy;
    private Map<String, byte[]> served;
    private List<String> requests;
    private final List<JxenEvent.StepLog> logs = new ArrayList<>();
    private ReleaseHistory history;

    @BeforeEach
    void setUp() throws Exception {
        key = TestArchiveKey.make(tmp.resolve("archive-key"));
        history = new ReleaseHistory(tmp.resolve("releases"));
        web = TestWebServer.start("");
        served = web.served;
        requests = web.requests;
        proxy = web.url();
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
        key.close();
    }

    private static String date(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).format(t).replace("GMT", "UTC");
    }

    /** A Release as Debian writes one, made an hour ago and valid for a week. */
    private static String release(String codename, String suite, Instant made, Instant validUntil) {
        return "Origin: Debian\nLabel: Debian\nSuite: " + suite + "\nVersion: 12.12\nCodename: " + codename + "\n"
                + (made == null ? "" : "Date: " + date(made) + "\n")
                + (validUntil == null ? "" : "Valid-Until: " + date(validUntil) + "\n")
                + "Architectures: all amd64\nComponents: main\nDescription: Debian 12.12 Released\nSHA256:\n"
                + " 0000000000000000000000000000000000000000000000000000000000000000     1234 main/binary-amd64/Packages.gz\n";
    }

    private static Instant anHourAgo() {
        return Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    }

    private void serve(String name, String text) {
        served.put("/debian/dists/bookworm/" + name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** gpgv runs for real; apt-config answers with {@code aptConfig}. */
    private static RecordingCommandRunner runner(String aptConfig) {
        LocalCommandRunner local = new LocalCommandRunner();
        return new RecordingCommandRunner(c -> c.argv().get(0).equals("apt-config") ? new CommandResult(0, aptConfig, List.of())
                : local.run(c, l -> { }));
    }

    private MirrorAnswer check(Optional<String> aptProxy, Path keyring, RecordingCommandRunner runner) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MirrorAnswer> r = b.add(new MirrorCheckStage(MIRROR, "bookworm", aptProxy, keyring, history));
        EventHandlers h = new EventHandlers(new Redactor()).add(e -> {
            if (e instanceof JxenEvent.StepLog l) {
                logs.add(l);
            }
        });
        UndoStack undo = new UndoStack();
        MirrorAnswer answer = b.build().run(runner, h, undo).get(r);
        assertEquals(0, undo.size(), "the check makes nothing to undo");
        return answer;
    }

    private List<Command> gpgv(RecordingCommandRunner r) {
        return r.commands().stream().filter(c -> c.argv().get(0).equals("gpgv")).toList();
    }

    @Test
    void theSignedCurrentReleasePassesThroughTheAptProxyAndItsDateIsRemembered() throws Exception {
        Instant made = anHourAgo();
        String signed = key.clearsign(release("bookworm", "stable", made, made.plus(Duration.ofDays(7))));
        serve("InRelease", signed);
        RecordingCommandRunner r = runner("");
        MirrorAnswer a = check(Optional.of(proxy), key.keyring(), r);

        assertEquals(MIRROR, a.mirror());
        assertEquals(Optional.of(new AptProxy.Found(proxy, "--apt_proxy")), a.proxy());
        assertEquals(IN_RELEASE, a.release().url());
        assertEquals(date(made), a.release().date());
        assertEquals(signed, a.release().text());
        assertEquals(List.of(IN_RELEASE), requests, "fetched once, through the proxy, by its full URL");
        List<Command> gpgv = gpgv(r);
        assertEquals(1, gpgv.size(), r.lines().toString());
        assertEquals(List.of("gpgv", "--keyring", key.keyring().toString(), "--output"), gpgv.get(0).argv().subList(0, 4));
        assertEquals(1, r.commands().size(), "with --apt_proxy apt-config is not asked: " + r.lines());
        assertEquals(Optional.of(made), history.newest(SUITE_URL), "the Release's date is remembered for the next check");
        Path work = Path.of(gpgv.get(0).argv().get(gpgv.get(0).argv().size() - 1)).getParent();
        assertFalse(Files.exists(work), "the check's scratch directory " + work + " was left");
        assertTrue(logs.stream().anyMatch(l -> l.text().equals("fetching through " + proxy + " (--apt_proxy)")), logs.toString());
    }

    @Test
    void withoutAptProxyItFetchesThroughTheProxyAptIsConfiguredWith() throws Exception {
        Instant made = anHourAgo();
        serve("InRelease", key.clearsign(release("trixie", "bookworm", made, null)));
        RecordingCommandRunner r = runner("Acquire::http::Proxy \"" + proxy + "\";\n");
        MirrorAnswer a = check(Optional.empty(), key.keyring(), r);
        assertEquals(Optional.of(new AptProxy.Found(proxy, "apt's Acquire::http::Proxy")), a.proxy());
        assertEquals("apt-config dump Acquire::http::Proxy", r.lines().get(0));
        assertEquals(1, gpgv(r).size());
        assertEquals(List.of(IN_RELEASE), requests);
        assertEquals(Optional.of(made), history.newest(SUITE_URL), "its Suite is the one asked for, so it is accepted");
    }

    /** The check fails on an InRelease the mirror serves; the message, and that nothing was remembered. */
    private StageFailedException refused(String inRelease) throws Exception {
        served.clear();
        serve("InRelease", inRelease);
        StageFailedException e = assertThrows(StageFailedException.class, () -> check(Optional.of(proxy), key.keyring(), runner("")));
        assertEquals("mirror", e.stage());
        assertEquals("check --mirror (or the dom0's apt sources) and --dist bookworm", e.hint());
        assertEquals(4, e.exitCode());
        return e;
    }

    @Test
    void aReleaseThatIsNotTheSignedCurrentOneOfTheSuiteIsRefused() throws Exception {
        Instant made = anHourAgo();
        Instant week = made.plus(Duration.ofDays(7));
        String good = release("bookworm", "stable", made, week);

        try (TestArchiveKey other = TestArchiveKey.make(tmp.resolve("other-key"))) {
            String m = refused(other.clearsign(good)).getMessage();
            assertTrue(m.startsWith(FAILED + "the signature of " + IN_RELEASE + " does not verify against " + key.keyring() + ": "), m);
        }
        String tampered = key.clearsign(good).replace("Origin: Debian", "Origin: Debiam");
        assertTrue(refused(tampered).getMessage().startsWith(FAILED + "the signature of " + IN_RELEASE + " does not verify"));

        String m = refused(key.clearsign(release("trixie", "testing", made, week))).getMessage();
        assertEquals(FAILED + IN_RELEASE + " is the Release of trixie (suite testing), not of bookworm: the mirror serves another release's files under that name", m);

        Instant expired = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        m = refused(key.clearsign(release("bookworm", "stable", expired.minus(Duration.ofDays(7)), expired))).getMessage();
        assertTrue(m.startsWith(FAILED + IN_RELEASE + " expired at " + expired + " (Valid-Until)"), m);

        m = refused(key.clearsign(release("bookworm", "stable", null, week))).getMessage();
        assertEquals(FAILED + IN_RELEASE + " has no Date, so jxen cannot tell an old Release from the current one", m);

        assertEquals(Optional.empty(), history.newest(SUITE_URL), "a refused Release's date was remembered");
        assertTrue(requests.stream().allMatch(IN_RELEASE::equals), requests.toString());
    }

    @Test
    void aReleaseOlderThanOneSeenBeforeIsRefused() throws Exception {
        Instant seen = anHourAgo();
        history.record(SUITE_URL, seen);
        Instant older = seen.minus(Duration.ofDays(3));
        String m = refused(key.clearsign(release("bookworm", "stable", older, seen.plus(Duration.ofDays(7))))).getMessage();
        assertTrue(m.startsWith(FAILED + SUITE_URL + " offers a Release dated " + older + ", older than the one jxen saw there dated " + seen), m);
        assertEquals(Optional.of(seen), history.newest(SUITE_URL));
    }

    /**
     * The plan promises, whatever the mirror serves, to refuse a Release "older than one seen before";
     * when the mirror answers 404 for InRelease and serves an older Release, the run checks only its
     * Suite, Codename and dates against the clock, never against the history. An old genuine
     * Release with its Release.gpg passes this check, and its signature verifies later as well.
     */
    @Test
    void anOlderReleaseServedWithoutItsInReleaseIsRefusedToo() throws Exception {
        Instant seen = anHourAgo();
        history.record(SUITE_URL, seen);
        serve("Release", release("bookworm", "stable", seen.minus(Duration.ofDays(30)), null));
        StageFailedException e = assertThrows(StageFailedException.class, () -> check(Optional.of(proxy), key.keyring(), runner("")));
        assertTrue(e.getMessage().contains("older than the one jxen saw there"), e.getMessage());
    }

    @Test
    void withoutAnInReleaseOrAKeyringOnlyTheFieldsAreCheckedAndGpgvDoesNotRun() throws Exception {
        Instant made = anHourAgo();
        serve("Release", release("bookworm", "stable", made, null));
        RecordingCommandRunner r = runner("");
        MirrorAnswer a = check(Optional.of(proxy), key.keyring(), r);
        assertEquals(MIRROR + "/dists/bookworm/Release", a.release().url());
        assertEquals(List.of(IN_RELEASE, MIRROR + "/dists/bookworm/Release"), requests, "InRelease first, then Release");
        assertEquals(List.of(), gpgv(r));
        assertTrue(logs.stream().anyMatch(l -> l.text().equals(MIRROR + "/dists/bookworm/Release: its fields checked; its signature is left to the installer (no InRelease)")),
                logs.toString());

        served.clear();
        requests.clear();
        serve("InRelease", release("bookworm", "stable", made, null));
        Path none = tmp.resolve("no-keyring.gpg");
        r = runner("");
        assertEquals(IN_RELEASE, check(Optional.of(proxy), none, r).release().url());
        assertEquals(List.of(), gpgv(r));
        assertTrue(logs.stream().anyMatch(l -> l.text().equals(IN_RELEASE + ": its fields checked; its signature is left to the installer (no keyring " + none + ")")),
                logs.toString());

        serve("InRelease", release("trixie", "testing", made, null));
        StageFailedException e = assertThrows(StageFailedException.class, () -> check(Optional.of(proxy), none, runner("")));
        assertTrue(e.getMessage().startsWith(FAILED + IN_RELEASE + " is the Release of trixie (suite testing), not of bookworm"), e.getMessage());
    }

    @Test
    void aSuiteTheMirrorDoesNotHaveFailsWithBothUrls() throws Exception {
        StageFailedException e = assertThrows(StageFailedException.class, () -> check(Optional.of(proxy), key.keyring(), runner("")));
        assertEquals(FAILED + IN_RELEASE + " answered HTTP 404; " + MIRROR + "/dists/bookworm/Release answered HTTP 404: the suite 'bookworm' is not on that mirror",
                e.getMessage());
        assertEquals(Optional.empty(), history.newest(SUITE_URL));
    }
}
