package dev.jxen.customize;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.guest.GuestRoot;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.render.GuestModel;
import dev.jxen.render.Templates;
import dev.jxen.storage.MountedRoot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the guest's own configuration files from templates: fstab, hosts, the network
 * configuration (ifupdown), and resolv.conf (from --nameserver, else the dom0's).
 */
public final class GuestFilesStage implements Stage<Void> {
    private final ImageSpec spec;
    private final ConfigSources sources;
    private final StageResult<MountedRoot> mounted;
    private final Path dom0Hosts;

    /** @param dom0Hosts the dom0's hosts file, for --copyhosts */
    public GuestFilesStage(ImageSpec spec, ConfigSources sources, StageResult<MountedRoot> mounted, Path dom0Hosts) {
        this.spec = spec;
        this.sources = sources;
        this.mounted = mounted;
        this.dom0Hosts = dom0Hosts;
    }

    @Override
    public String name() {
        return "guest files";
    }

    static final String NETWORKD_FILE = "etc/systemd/network/10-jxen.network";
    private static final String NETWORKD_UNIT = "etc/systemd/system/multi-user.target.wants/systemd-networkd.service";

    private static Map<String, String> files(ImageSpec spec) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("etc/fstab", "fstab.ftl");
        f.put("etc/hosts", "hosts.ftl");
        if (spec.network().config() == ImageSpec.NetworkConfig.NETWORKD) {
            f.put(NETWORKD_FILE, "network/systemd-networkd.ftl");
        } else {
            f.put("etc/network/interfaces", "network/interfaces.ftl");
        }
        return f;
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        files(spec).forEach((path, tpl) -> out.add(PlannedAction.write("MOUNTPOINT/" + path, "from " + tpl)));
        out.add(PlannedAction.write("MOUNTPOINT/etc/resolv.conf", spec.network().nameservers().isEmpty() ? "the dom0's" : "from --nameserver"));
        return out;
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        GuestRoot guest = GuestRoot.at(ctx.get(mounted).root());
        Templates t = new Templates(sources.templateDirs());
        Map<String, Object> model = GuestModel.of(spec);
        for (var e : files(spec).entrySet()) {
            guest.write(e.getKey(), t.render(e.getValue(), model), "rw-r--r--");
        }
        if (spec.network().config() == ImageSpec.NetworkConfig.NETWORKD) {
            // networkd is in every systemd guest but not enabled; ifupdown keeps only the loopback
            guest.symlink(NETWORKD_UNIT, "/lib/systemd/system/systemd-networkd.service");
            if (guest.isDirectory("etc/network")) {
                guest.write("etc/network/interfaces", "# the network is configured by systemd-networkd: /" + NETWORKD_FILE
                        + "\nauto lo\niface lo inet loopback\n", "rw-r--r--");
            }
        }
        if (spec.network().copyhosts() && Files.isReadable(dom0Hosts)) {
            // --copyhosts: the dom0's own entries follow the guest's, localhost lines excepted
            StringBuilder b = new StringBuilder("\n# copied from the dom0's hosts file (--copyhosts)\n");
            for (String line : dev.jxen.system.BoundedFiles.readLines(dom0Hosts, dev.jxen.system.BoundedFiles.CONFIG)) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#") && !l.matches("(127\\.|::1|fe00:|ff0[02]:).*")) {
                    b.append(line).append('\n');
                }
            }
            guest.append("etc/hosts", b.toString(), "rw-r--r--");
        }
        // written as a file of its own: in the image it may be a link into the dom0's /run
        if (spec.network().nameservers().isEmpty()) {
            Path dom0 = Path.of("/etc/resolv.conf");
            guest.write("etc/resolv.conf", Files.isReadable(dom0) ? dev.jxen.system.BoundedFiles.readString(dom0, dev.jxen.system.BoundedFiles.CONFIG) : "", "rw-r--r--");
        } else {
            StringBuilder b = new StringBuilder();
            spec.network().nameservers().forEach(ns -> b.append("nameserver ").append(ns).append('\n'));
            guest.write("etc/resolv.conf", b.toString(), "rw-r--r--");
        }
        return null;
    }
}
