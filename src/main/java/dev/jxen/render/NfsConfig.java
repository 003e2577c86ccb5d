package dev.jxen.render;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.NfsSpec;
import dev.jxen.error.HostStateException;
import dev.jxen.system.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The .cfg of an NFS-root guest (jxen-create-nfs): from {@code xl-nfs.cfg.ftl}, a {@code .ftl}
 * --template, or an xen-tools Text::Template such as {@code xm-nfs.tmpl} filled as xen-create-nfs
 * fills it; and its atomic write, which never replaces an existing .cfg without --force.
 */
public final class NfsConfig {
    /** The first NIC as the guest's kernel names it when it configures ip=, before udev renames anything. */
    static final String KERNEL_INTERFACE = "eth0";

    private NfsConfig() {
    }

    /** The .cfg's text and the warnings about it (xm-only keys a Text::Template wrote, no nfsroot= on the kernel's line). */
    public record Rendered(String text, List<String> warnings) {
    }

    public static Rendered render(NfsSpec spec, ConfigSources sources, CommandRunner runner) {
        String template = spec.template() != null ? spec.template() : "xl-nfs.cfg.ftl";
        if (!XenToolsTemplate.isTextTemplate(template)) {
            return new Rendered(new Templates(sources.templateDirs()).render(template, model(spec)), List.of());
        }
        String text = XenToolsTemplate.fill(Path.of(template), XenToolsVariables.forNfs(spec), sources.textTemplateHelper(), runner);
        List<String> warnings = new ArrayList<>(FilledConfigCheck.check(text, template, spec.hostname().fqdn(), List.of(), "pv"));
        if (!text.contains("nfsroot=")) {
            warnings.add("template " + template + " puts no nfsroot= on the kernel's command line (extra): xl passes the kernel only "
                    + "kernel, ramdisk, root and extra, so this guest will not find its NFS root; jxen's xl-nfs.cfg.ftl writes it");
        }
        return new Rendered(text, warnings);
    }

    /** The data model of {@code xl-nfs.cfg.ftl} (templates/README.md). */
    static Map<String, Object> model(NfsSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostname", spec.hostname().fqdn());
        m.put("memory", spec.memory().mebibytes());
        m.put("kernel", spec.kernel());
        m.put("initrd", spec.initrd() == null ? "" : spec.initrd());
        m.put("nfs_server", spec.nfsServer());
        m.put("nfs_root", spec.nfsRoot());
        m.put("nfs_version", spec.nfsVersion());
        m.put("dhcp", spec.dhcp());
        m.put("ip", spec.ip() == null ? "" : spec.ip());
        m.put("netmask", spec.netmask() == null ? "" : spec.netmask());
        m.put("gateway", spec.gateway() == null ? "" : spec.gateway());
        m.put("nameservers", spec.nameservers());
        m.put("interface", KERNEL_INTERFACE);
        m.put("serial_device", "hvc0");
        m.put("mac", spec.mac() == null ? "" : spec.mac());
        m.put("bridge", spec.bridge() == null ? "" : spec.bridge());
        m.put("xl", new XlString());
        return m;
    }

    /**
     * Writes the .cfg: a temporary file beside it, then linked into place (which fails if a .cfg
     * appeared meanwhile) or, with --force, renamed over the old one. Nothing is left on failure.
     */
    public static void write(NfsSpec spec, String text) throws IOException {
        Path cfg = spec.cfg();
        if (Files.exists(cfg, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !spec.force()) {
            throw new HostStateException(cfg + " already exists", "choose another --hostname, or pass --force to replace it");
        }
        if (Files.exists(cfg, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(cfg, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new HostStateException(cfg + " is not a plain file (a link or a directory)", "remove it by hand, or choose another --output");
        }
        if (!Files.isDirectory(cfg.getParent())) {
            throw new HostStateException("no directory " + cfg.getParent() + " for the .cfg", "create it, or choose another --output");
        }
        Path tmp = Files.createTempFile(cfg.getParent(), "." + spec.hostname().fqdn() + ".", ".tmp");
        try {
            Files.writeString(tmp, text);
            if (spec.force()) {
                Files.move(tmp, cfg, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.createLink(cfg, tmp);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new HostStateException(cfg + " appeared while jxen wrote it", "check what made it; pass --force to replace it");
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
