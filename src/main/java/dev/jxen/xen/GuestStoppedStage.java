package dev.jxen.xen;

import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Dom0Paths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Goes on only when the guest is known to be stopped. A running guest is refused; so is one whose
 * state xl cannot tell, unless --force says the user knows it is stopped.
 */
public final class GuestStoppedStage implements Stage<Void> {
    private final String name;
    private final Path cfg;
    private final boolean force;
    private final Dom0Paths dom0;

    public GuestStoppedStage(String name, boolean force, Dom0Paths dom0) {
        this(name, null, force, dom0);
    }

    /** @param cfg the guest's .cfg, whose {@code name} (when it differs from the host name) is the domain's name too; null if none */
    public GuestStoppedStage(String name, Path cfg, boolean force, Dom0Paths dom0) {
        this.name = name;
        this.cfg = cfg;
        this.force = force;
        this.dom0 = dom0;
    }

    @Override
    public String name() {
        return "guest stopped";
    }

    /** The host name, and the .cfg's domain name where that is another. */
    private Set<String> names() {
        Set<String> names = new LinkedHashSet<>(List.of(name));
        if (cfg != null && Files.isRegularFile(cfg)) {
            try {
                names.add(DomUConfigFile.read(cfg).name());
            } catch (IOException | RuntimeException e) {
                // a .cfg xl could not read either starts no domain
            }
        }
        return names;
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(PlannedAction.note("check that " + String.join(" (or ", names()) + (names().size() > 1 ? ", its .cfg's name)" : "")
                + " is not running, nor migrating (" + dom0.xl() + " list); refuse if it runs" + (force ? "" : " or if xl cannot tell")));
    }

    @Override
    public Void run(StageContext ctx) {
        XlDomains domains = XlDomains.query(ctx.runner(), dom0);
        for (String n : names()) {
            switch (domains.state(n)) {
                case RUNNING -> throw new HostStateException(n.equals(name) ? name + " is running" : name + " is running as " + n + " (its .cfg's name)",
                        "stop it first: xl shutdown -w " + n);
                case UNKNOWN -> {
                    if (!force) {
                        throw new HostStateException("cannot tell whether " + n + " is running: " + domains.why(),
                                "make sure it is stopped, then give --force");
                    }
                    ctx.warn("cannot tell whether " + n + " is running (" + domains.why() + "); going on because of --force");
                }
                default -> ctx.info(n + " is not running (" + domains.why() + ")");
            }
        }
        return null;
    }
}
