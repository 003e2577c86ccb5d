package dev.jxen.mirror;

import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.event.JxenEvent.Level;

import dev.jxen.error.StageFailedException;
import dev.jxen.system.ToolCheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks the mirror for the suite's Release file before anything is created, so that a wrong mirror,
 * suite or proxy fails in seconds and touches nothing; finds the proxy the install fetches through.
 */
public final class MirrorCheckStage implements Stage<MirrorAnswer> {
    private final String mirror;
    private final String suite;
    private final Optional<String> aptProxy;
    private final Path keyring;
    private final ReleaseHistory history;

    /**
     * @param aptProxy --apt_proxy, if given
     * @param keyring  the archive keyring the InRelease is checked against
     * @param history  the newest Release dates seen before
     */
    public MirrorCheckStage(String mirror, String suite, Optional<String> aptProxy, Path keyring, ReleaseHistory history) {
        this.mirror = mirror;
        this.suite = suite;
        this.aptProxy = aptProxy;
        this.keyring = keyring;
        this.history = history;
    }

    @Override
    public String name() {
        return "mirror";
    }

    /** Debian 13's apt verifies with sqv, so a dom0 may well have no gpgv: named before anything runs, not "does not verify". */
    @Override
    public void verify() {
        if (Files.isRegularFile(keyring)) {
            ToolCheck.require("gpgv", "to check the signature of the release's InRelease");
        }
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        out.add(new PlannedAction("fetch", mirror.replaceAll("/+$", "") + "/dists/" + suite + "/InRelease", "check the mirror and suite"));
        out.add(PlannedAction.note("through " + aptProxy.orElse("apt's proxy, or an apt-cacher-ng on 127.0.0.1:3142, if there is one")));
        out.add(PlannedAction.note("check its signature against " + keyring + "; refuse it unless its Codename or Suite is " + suite
                + ", it has not expired, and it is not older than one seen before"));
        return out;
    }

    /** Why the Release is not the current one of the suite asked for; the signature checked where jxen can. */
    private List<String> problems(StageContext ctx, ReleaseProbe.Release release) throws IOException {
        String suiteUrl = mirror.replaceAll("/+$", "") + "/dists/" + suite + "/";
        if (!release.url().endsWith("/InRelease") || !Files.isRegularFile(keyring)) {
            ctx.info(release.url() + ": its fields checked; its signature is left to the installer ("
                    + (Files.isRegularFile(keyring) ? "no InRelease" : "no keyring " + keyring) + ")");
            // an unverified date is held against the history, never written to it (a forged one far ahead would refuse every later release)
            ReleaseFields fields = ReleaseFields.parse(release.text());
            List<String> why = new ArrayList<>(fields.problems(release.url(), suite, Instant.now()));
            if (fields.date().isPresent()) {
                history.problem(suiteUrl, fields.date().get()).ifPresent(why::add);
            }
            return why;
        }
        Path work = Files.createTempDirectory("jxen-release-");
        try {
            Path in = Files.writeString(work.resolve("InRelease"), release.text());
            List<String> why = new ArrayList<>();
            Optional<String> signed = ReleaseCheck.signedText(in, keyring, work, ctx.runner(), why);
            if (signed.isEmpty()) {
                return List.of("the signature of " + release.url() + " does not verify against " + keyring + ": " + String.join(" ", why));
            }
            return ReleaseCheck.problems(release.url(), signed.get(), suite, suiteUrl, history, Instant.now());
        } finally {
            try (var s = Files.list(work)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    @Override
    public MirrorAnswer run(StageContext ctx) throws IOException {
        Optional<AptProxy.Found> proxy = AptProxy.detect(aptProxy, ctx.runner());
        proxy.ifPresent(p -> ctx.info("fetching through " + p.url() + " (" + p.source() + ")"));
        ctx.info("checking " + mirror + " for " + suite);
        ReleaseProbe.Release release = ReleaseProbe.probe(mirror, suite, proxy.map(AptProxy.Found::url), 10);
        ctx.events().log(Level.DEBUG, ctx.stage(), "release " + release.url() + " dated " + release.date());
        List<String> problems = problems(ctx, release);
        if (!problems.isEmpty()) {
            throw new StageFailedException("mirror", String.join("; ", problems),
                    "check --mirror (or the dom0's apt sources) and --dist " + suite, null);
        }
        return new MirrorAnswer(mirror, release, proxy);
    }
}
