package dev.jxen.mirror;

import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.event.JxenEvent.Level;

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

    /** @param aptProxy --apt_proxy, if given */
    public MirrorCheckStage(String mirror, String suite, Optional<String> aptProxy) {
        this.mirror = mirror;
        this.suite = suite;
        this.aptProxy = aptProxy;
    }

    @Override
    public String name() {
        return "mirror";
    }

    @Override
    public List<PlannedAction> plan() {
        List<PlannedAction> out = new ArrayList<>();
        out.add(new PlannedAction("fetch", mirror.replaceAll("/+$", "") + "/dists/" + suite + "/InRelease", "check the mirror and suite"));
        out.add(PlannedAction.note("through " + aptProxy.orElse("apt's proxy, or an apt-cacher-ng on 127.0.0.1:3142, if there is one")));
        return out;
    }

    @Override
    public MirrorAnswer run(StageContext ctx) {
        Optional<AptProxy.Found> proxy = AptProxy.detect(aptProxy, ctx.runner());
        proxy.ifPresent(p -> ctx.info("fetching through " + p.url() + " (" + p.source() + ")"));
        ctx.info("checking " + mirror + " for " + suite);
        ReleaseProbe.Release release = ReleaseProbe.probe(mirror, suite, proxy.map(AptProxy.Found::url), 10);
        ctx.events().log(Level.DEBUG, ctx.stage(), "release " + release.url() + " dated " + release.date());
        return new MirrorAnswer(mirror, release, proxy);
    }
}
