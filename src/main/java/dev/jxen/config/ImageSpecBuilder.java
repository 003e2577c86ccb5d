package dev.jxen.config;

import dev.jxen.config.ImageSpec.AccountSpec;
import dev.jxen.config.ImageSpec.CustomizeSpec;
import dev.jxen.config.ImageSpec.DomainSpec;
import dev.jxen.config.ImageSpec.InstallSpec;
import dev.jxen.config.ImageSpec.NetworkSpec;
import dev.jxen.config.ImageSpec.RunSpec;
import dev.jxen.config.ImageSpec.StorageSpec;
import dev.jxen.error.InvalidInputException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the configuration layers into one validated {@link ImageSpec}, one part at a time (storage,
 * install, domain, network, accounts), with defaults from the settings catalog. Every problem is
 * collected before failing, each naming the option or config line, the value, and what is allowed.
 * Nothing on the machine is changed here; the only things read are the files the settings name.
 */
public final class ImageSpecBuilder {
    private final ConfigLayers layers;
    private final ConfigSources sources;
    private final Dom0Facts dom0;

    /** @param dom0 what the dom0 itself uses, for settings no layer gives (dist, arch, mirror) */
    public ImageSpecBuilder(ConfigLayers layers, ConfigSources sources, Dom0Facts dom0) {
        this.layers = layers;
        this.sources = sources;
        this.dom0 = dom0;
    }

    public ImageSpec build() {
        SettingReader r = new SettingReader(layers);
        Hostname host = r.required("hostname", Hostname::parse);
        StorageSpec storage = new StorageSpecBuilder(r, sources).build();
        ImageSpec.Boot boot = new BootChooser(r, dom0).choose();
        InstallSpec install = new InstallSpecBuilder(r, sources, dom0).build(boot);
        NetworkSpec network = new NetworkSpecBuilder(r).build(host, install);
        DomainSpec domain = new DomainSpecBuilder(r, sources).build(boot, network);
        AccountSpec accounts = new AccountSpecBuilder(r).build();
        CustomizeSpec customize = customize(r, sources);
        Path log = r.text("log").map(l -> Path.of(l).toAbsolutePath().normalize())
                .orElse(Path.of("/var/log/xen-tools", (host == null ? "unknown" : host.fqdn()) + ".log"));
        boolean installer = install.enabled() && install.method() == ImageSpec.InstallMethod.INSTALLER;
        if (installer) {
            installerLimits(r, storage, domain, accounts, customize);
        }
        pygrubLimits(r, storage, boot, installer);
        RunSpec run = new RunSpec(r.flag("force"), r.flag("keep"), r.flag("verbose") || r.flag("debug"), r.flag("quiet"), r.flag("dry-run"), r.flag("json"), log);
        if (!r.problems().isEmpty()) {
            throw new InvalidInputException(r.problems());
        }
        Map<String, String> settings = new TreeMap<>();
        layers.effective().forEach((k, v) -> settings.put(k, v.text()));
        settings.put("dist", install.dist());
        settings.put("arch", install.arch());
        install.mirror().ifPresent(m -> settings.put("mirror", m));
        return new ImageSpec(host, storage, install, domain, network, accounts, customize, run, settings, r.warnings());
    }

    /**
     * What the Debian Installer route cannot do: jxen never mounts the disk the installer
     * partitioned, so what works on the guest's tree (roles, --accounts) is refused, and the hooks
     * are not run.
     */
    private static void installerLimits(SettingReader r, StorageSpec storage, DomainSpec domain, AccountSpec accounts, CustomizeSpec customize) {
        String why = " works on the guest's files, and with --install-method installer jxen does not open the disk the installer partitioned";
        if (!customize.roles().isEmpty() || !customize.finalRoles().isEmpty()) {
            r.problem(r.where(customize.roles().isEmpty() ? "finalrole" : "role") + ":" + why + "; a copy of templates/preseed.cfg.ftl in /etc/xen-tools/templates can add packages and commands");
        }
        if (accounts.copyAccounts()) {
            r.problem(r.where("accounts") + ":" + why);
        }
        if (storage.target() == ImageSpec.Target.IMAGE_DEV) {
            r.problem(r.where("image-dev") + ": the installer repartitions the whole disk it is given; give --dir, --lvm or --zpool for a disk jxen makes");
        }
        if (customize.hooks() && r.layers().layerOf("hooks").isPresent()) {
            r.warn(r.where("hooks") + ": the hooks are not run with --install-method installer (the installer configures the guest;"
                    + " the preseed template's late_command is the place for more)");
        }
    }

    /**
     * pygrub reads the guest's /boot on the dom0 with Xen's libfsimage, which knows ext2/3/4 but
     * neither btrfs nor the xfs that mkfs.xfs makes today (v5): pygrub of Xen 4.17 says "Unable to
     * find partition containing kernel" and the guest never starts. libxl hands pygrub the first disk
     * of the .cfg, which for a disk per partition is the root: there a separate /boot is out of its
     * reach, whatever its filesystem. On the installer's one partitioned disk pygrub reads the
     * partition holding /boot. Refused here, before anything is made, rather than found at xl create.
     */
    private static void pygrubLimits(SettingReader r, StorageSpec storage, ImageSpec.Boot boot, boolean installer) {
        if (boot.path() != ImageSpec.BootPath.PYGRUB || boot.why().isEmpty() || storage.partitions().isEmpty()) {
            return; // not pygrub, or no boot could be chosen (that problem is already said)
        }
        Optional<PartitionSpec> bootPartition = storage.partitions().stream().filter(p -> "/boot".equals(p.mountpoint())).findFirst();
        String where = r.text("partitions").isPresent() ? r.where("partitions") : r.where("fs");
        String instead = "; boot it with pvgrub2 (--boot-path pvgrub2, from grub-xen-host) or a dom0 kernel (--kernel)";
        if (!installer && bootPartition.isPresent()) {
            r.problem(where + ": pygrub reads only the guest's first disk, its root, so it cannot boot a guest whose /boot is a disk of its own"
                    + " (jxen boots it with " + boot.why() + ")" + instead + ", or keep /boot on the root");
            return;
        }
        PartitionSpec holder = bootPartition.or(() -> storage.partitions().stream().filter(PartitionSpec::isRoot).findFirst()).orElse(null);
        if (holder != null && Set.of("xfs", "btrfs").contains(holder.type())) {
            r.problem(where + ": pygrub cannot boot a guest whose " + holder.mountpoint() + " is " + holder.type()
                    + " (Xen's pygrub reads ext2, ext3 and ext4, not btrfs or today's xfs; jxen boots it with " + boot.why() + ")"
                    + instead + ", or use ext4");
        }
    }

    /** How a guest of these settings would boot and why, or what keeps it from booting; for --dumpconfig. */
    public static String bootExplained(ConfigLayers layers, ConfigSources sources, Dom0Facts dom0) {
        SettingReader r = new SettingReader(layers);
        ImageSpec.Boot boot = new BootChooser(r, dom0).choose();
        return r.problems().isEmpty() ? boot.why() : "none can be chosen: " + String.join("; ", r.problems());
    }

    /** What an update of an existing guest needs of the configuration: its hooks and roles. */
    public static CustomizeSpec customizeOnly(ConfigLayers layers, ConfigSources sources) {
        SettingReader r = new SettingReader(layers);
        CustomizeSpec customize = customize(r, sources);
        if (!r.problems().isEmpty()) {
            throw new InvalidInputException(r.problems());
        }
        return customize;
    }

    private static CustomizeSpec customize(SettingReader r, ConfigSources sources) {
        return new CustomizeSpec(r.flag("hooks"), r.splitNames("role"), r.text("role-args").orElse(""),
                r.splitNames("finalrole"), r.text("roledir").orElse(sources.configDir().resolve("role.d").toString()));
    }
}
