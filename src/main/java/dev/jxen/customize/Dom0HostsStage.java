package dev.jxen.customize;

import dev.jxen.system.SystemUndo;
import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.TextFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Adds a guest with a static address to the dom0's /etc/hosts, as xen-tools does, unless
 * --nohosts. The line is marked, not duplicated, and removed again if the create fails.
 */
public final class Dom0HostsStage implements Stage<Void> {
    static final String MARK = "# added by jxen for ";
    private final ImageSpec spec;
    private final Path hosts;

    /** @param hosts the dom0's hosts file */
    private final Path lockDir;

    public Dom0HostsStage(ImageSpec spec, Path hosts, Path lockDir) {
        this.spec = spec;
        this.hosts = hosts;
        this.lockDir = lockDir;
    }

    @Override
    public String name() {
        return "dom0 hosts";
    }

    static String line(ImageSpec spec) {
        String names = spec.hostname().fqdn() + (spec.hostname().domain().isEmpty() ? "" : " " + spec.hostname().shortName());
        return spec.network().ips().get(0).address() + "\t" + names + "\t" + MARK + spec.hostname().fqdn();
    }

    private static boolean applies(ImageSpec spec) {
        return !spec.network().nohosts() && !spec.network().dhcp() && !spec.network().ips().isEmpty();
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        if (!applies(spec)) {
            return List.of(PlannedAction.note(spec.network().nohosts() ? "--nohosts: the dom0's hosts file is left alone"
                    : "DHCP: nothing to add to the dom0's hosts file"));
        }
        return List.of(PlannedAction.write(hosts.toString(), "add '" + line(spec).replace("\t", " ") + "'"));
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        String mine = applies(spec) ? line(spec) : null;
        TextFiles.edit(hosts, "the dom0's hosts file", lockDir, ctx.runner(), lines -> {
            // a line jxen added for an earlier guest of this name (one a --force create replaces) goes
            List<String> stale = lines.stream().filter(l -> l.endsWith(MARK + spec.hostname().fqdn()) && !l.equals(mine)).toList();
            boolean add = mine != null && !lines.contains(mine);
            if (!add && stale.isEmpty()) {
                return Optional.empty();
            }
            ctx.undo().rollbackAlways(new SystemUndo.RestoreLines(hosts, add ? mine : null, stale, "restore " + spec.hostname() + "'s lines in " + hosts, lockDir));
            lines.removeAll(stale);
            if (add) {
                lines.add(mine);
            }
            if (!stale.isEmpty()) {
                ctx.info("removed the earlier line for " + spec.hostname() + " from " + hosts);
            }
            if (add) {
                ctx.info("added " + spec.hostname() + " to " + hosts);
            }
            return Optional.of(lines);
        });
        return null;
    }
}
