package dev.jxen.xen;

import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Dom0Paths;

import java.util.List;

/**
 * Goes on only when the guest is known to be stopped. A running guest is refused; so is one whose
 * state xl cannot tell, unless --force says the user knows it is stopped.
 */
public final class GuestStoppedStage implements Stage<Void> {
    private final String name;
    private final boolean force;
    private final Dom0Paths dom0;

    public GuestStoppedStage(String name, boolean force, Dom0Paths dom0) {
        this.name = name;
        this.force = force;
        this.dom0 = dom0;
    }

    @Override
    public String name() {
        return "guest stopped";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(PlannedAction.note("check that " + name + " is not running (" + dom0.xl() + " list); refuse if it runs"
                + (force ? "" : " or if xl cannot tell")));
    }

    @Override
    public Void run(StageContext ctx) {
        XlDomains domains = XlDomains.query(ctx.runner(), dom0);
        switch (domains.state(name)) {
            case RUNNING -> throw new HostStateException(name + " is running", "stop it first: xl shutdown -w " + name);
            case UNKNOWN -> {
                if (!force) {
                    throw new HostStateException("cannot tell whether " + name + " is running: " + domains.why(),
                            "make sure it is stopped, then give --force");
                }
                ctx.warn("cannot tell whether " + name + " is running (" + domains.why() + "); going on because of --force");
            }
            default -> ctx.info(name + " is not running (" + domains.why() + ")");
        }
        return null;
    }
}
