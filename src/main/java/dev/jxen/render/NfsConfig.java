package dev.jxen.render;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.NfsSpec;
import dev.jxen.error.HostStateException;
import dev.jxen.system.CommandRunner;
import dev.jxen.xen.DomUConfigFile;
import dev.jxen.xen.XlDomains;

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
    /** Xen's MAX_GUEST_CMDLINE: a PV guest's command line is cut to this, with its NUL. */
    static final int GUEST_CMDLINE_MAX = 1024;

    private static DomUConfigFile parsed(String text, String template) {
        try {
            return DomUConfigFile.parse(Path.of(template), text);
        } catch (RuntimeException | IOException e) {
            throw new IllegalStateException("template " + template + " wrote no .cfg xl reads: " + e.getMessage(), e);
        }
    }

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
            String text = new Templates(sources.templateDirs()).render(template, model(spec));
            String extra = parsed(text, template).values().getOrDefault("extra", "");
            if (extra.length() >= GUEST_CMDLINE_MAX) {
                throw new dev.jxen.error.InvalidInputException("the kernel's command line (extra) would be " + extra.length()
                        + " characters; Xen passes a PV guest " + (GUEST_CMDLINE_MAX - 1) + " at most: shorten --nfs_root or --hostname");
            }
            return new Rendered(text, List.of());
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
     * Whether --force may replace the existing .cfg: not while the guest runs, or when it cannot be told,
     * and not when that .cfg names disks, which would then be named by no .cfg (jxen-delete-image
     * finds a guest's disks through its .cfg). Only another NFS-root guest's .cfg is replaced.
     */
    public static void checkReplaceable(NfsSpec spec, XlDomains domains) throws IOException {
        String name = spec.hostname().fqdn();
        switch (domains.state(name)) {
            case RUNNING -> throw new HostStateException(name + " is running; --force replaces the .cfg of a stopped guest only",
                    "stop it first (xl shutdown " + name + ")");
            case UNKNOWN -> throw new HostStateException("cannot tell whether " + name + " is running: " + domains.why(),
                    "check xl list; jxen replaces the .cfg of a guest it knows to be stopped");
            default -> { }
        }
        DomUConfigFile old;
        try {
            old = DomUConfigFile.read(spec.cfg());
        } catch (RuntimeException | IOException e) {
            throw new HostStateException(spec.cfg() + " cannot be read as a .cfg (" + e.getMessage() + "), so jxen cannot tell what it would orphan",
                    "look at it, and remove it by hand if it is no guest's");
        }
        if (!old.disks().isEmpty()) {
            throw new HostStateException(spec.cfg() + " is the .cfg of a guest with disks (" + String.join(", ", old.diskTargets())
                    + "); replaced, they would be named by no .cfg", "delete that guest with jxen-delete-image first, or choose another --hostname");
        }
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
