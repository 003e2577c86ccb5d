package dev.jxen.cli;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.IpAddress;
import dev.jxen.contact.SshReadyStage;
import dev.jxen.customize.Accounts;
import dev.jxen.customize.HostIdentity;
import dev.jxen.install.BaseTree;
import dev.jxen.lifecycle.CreateGuest;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.render.DomUConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The installation summary, as xen-tools prints it, and as the last JSON event. */
final class Summary {
    private Summary() {
    }

    static JxenEvent.Summary of(ImageSpec spec, CreateGuest create, StageContext ctx, long elapsedMillis) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("hostname", spec.hostname().fqdn());
        f.put("dist", spec.install().dist());
        f.put("arch", spec.install().arch());
        f.put("ips", spec.network().dhcp() ? List.of("dhcp") : spec.network().ips().stream().map(IpAddress::toString).toList());
        f.put("mac", spec.network().mac().text());
        f.put("boot_path", spec.domain().start().path().key());
        f.put("type", spec.domain().start().type().key());
        f.put("cfg", ctx.find(create.cfg()).map(c -> c.file().toString()).orElse(""));
        ctx.find(create.base()).ifPresent(b -> f.put("base", b.describe()));
        List<String> fps = ctx.find(create.identity()).map(HostIdentity::sshFingerprints).orElse(List.of());
        f.put("ssh_fingerprints", fps);
        f.put("elapsed_ms", elapsedMillis);
        Optional<SshReadyStage.Ready> ssh = ctx.find(create.ssh());
        ssh.ifPresent(s -> f.put("ssh_ready_seconds", s.seconds()));
        String generated = ctx.find(create.accounts()).map(Accounts::generatedPassword).orElse(null);
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Installation Summary");
        lines.add("---------------------");
        lines.add(String.format("Hostname        :  %s", spec.hostname()));
        lines.add(String.format("Distribution    :  %s (%s)", spec.install().dist(), spec.install().arch()));
        lines.add(String.format("IP Address(es)  :  %s", spec.network().dhcp() ? "DHCP" : String.join(" ", (List<String>) f.get("ips"))));
        lines.add(String.format("MAC Address     :  %s", spec.network().mac()));
        for (String fp : fps) {
            lines.add(String.format("SSH Fingerprint :  %s", fp));
        }
        lines.add(String.format("Boot            :  %s, %s", spec.domain().start().path().key(), spec.domain().start().type().key().toUpperCase()));
        lines.add(String.format("Config file     :  %s", f.get("cfg")));
        if (generated != null) {
            // shown once, here; the log file and every other event carry it masked
            f.put("generated-password", generated);
        }
        lines.add(String.format("Time            :  %.1f s", elapsedMillis / 1000.0));
        ssh.ifPresent(s -> lines.add(String.format("SSH ready       :  %.1f s after xl create, with its own host key (%s)", s.seconds(), s.key())));
        if (spec.domain().after().knownHosts() != null) {
            lines.add("Known hosts     :  " + spec.domain().after().knownHosts());
        }
        if (!spec.domain().after().boot()) {
            lines.add("Start it with   :  xl create " + f.get("cfg"));
        }
        return new JxenEvent.Summary(true, f, lines);
    }
}
