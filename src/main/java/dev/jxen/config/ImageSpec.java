package dev.jxen.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a create needs to know, built once from the configuration layers by
 * {@link ImageSpecBuilder}, validated there, and never changed afterwards. Stages read it; none of
 * them sees picocli or a config file.
 *
 * @param settings every effective key with its text value, for the hooks' environment and
 *                 --dumpconfig (secret values included: only {@link dev.jxen.pipeline.event.Redactor}-guarded
 *                 code may print it)
 */
public record ImageSpec(
        Hostname hostname,
        StorageSpec storage,
        InstallSpec install,
        DomainSpec domain,
        NetworkSpec network,
        AccountSpec accounts,
        CustomizeSpec customize,
        RunSpec run,
        Map<String, String> settings,
        List<String> warnings) {

    /** Where the guest's disks live. */
    public enum Target { DIR, LVM, ZPOOL, IMAGE_DEV }

    /** The xl.cfg type of the guest. */
    public enum GuestType {
        PV, PVH;

        /** As written in xl.cfg and options: pv, pvh. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How the guest starts: the dom0's kernel (xen-tools' way), pygrub (xen-tools' way), or pvgrub2 (GRUB built for Xen). */
    public enum BootPath {
        DOM0_KERNEL("dom0-kernel"), PYGRUB("pygrub"), PVGRUB2("pvgrub2");

        private final String key;

        BootPath(String key) {
            this.key = key;
        }

        /** As written in options: dom0-kernel, pygrub, pvgrub2. */
        public String key() {
            return key;
        }

        /** True when the guest boots a kernel of its own, which it then needs installed with a GRUB menu. */
        public boolean guestKernel() {
            return this != DOM0_KERNEL;
        }

        public static java.util.Optional<BootPath> of(String key) {
            return java.util.Arrays.stream(values()).filter(b -> b.key.equals(key)).findFirst();
        }
    }

    /**
     * How the guest starts and why that way, for the plan and --dumpconfig.
     *
     * @param pvgrub2 the grub-xen image the .cfg names as its kernel, with {@link BootPath#PVGRUB2}; else null
     */
    public record Boot(BootPath path, GuestType type, String pvgrub2, String why) {
    }

    /** How the base system gets into the guest. */
    public enum InstallMethod {
        DEBOOTSTRAP, MMDEBSTRAP, TAR, COPY,
        /** The Debian Installer, run as the guest itself with a preseed: it partitions one disk and installs. */
        INSTALLER;

        /** The name as written in options and files. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The method of this name as written in options and files ("mmdebstrap"); empty for any other. */
        public static Optional<InstallMethod> of(String key) {
            return java.util.Arrays.stream(values()).filter(m -> m.key().equals(key)).findFirst();
        }

        /** Installs from a mirror (so the mirror is checked first, and the tree may be cached). */
        public boolean fromMirror() {
            return this == DEBOOTSTRAP || this == MMDEBSTRAP;
        }

        /** Needs a mirror: the bootstrappers and the installer, which fetches its images and packages from it. */
        public boolean needsMirror() {
            return fromMirror() || this == INSTALLER;
        }
    }

    /** How the guest's vif reaches the network. */
    public enum NetworkMode {
        BRIDGE, ROUTE, NAT;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which configuration of the guest's network jxen writes. */
    public enum NetworkConfig {
        IFUPDOWN, NETWORKD;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ImageSpec {
        settings = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(settings));
        warnings = List.copyOf(warnings);
    }

    /**
     * @param location   the directory (DIR), volume group (LVM), pool (ZPOOL) or root device (IMAGE_DEV)
     * @param swapDevice an existing swap device with IMAGE_DEV, or null
     * @param sparse     sparse image files (DIR only)
     * @param lvmThin    the thin pool, or null
     * @param partitions in disk order: xvda1, xvda2, ...
     * @param diskBase   the first Xen disk: {@code xvda}, {@code hda} (--ide), {@code sda} (--scsi) or --disk_device
     * @param format     false with --dontformat
     * @param fsOptions  mount options per filesystem type ({@code ext4_options} ...)
     */
    public record StorageSpec(StorageTarget where, String swapDevice, boolean sparse, String lvmThin,
                              List<PartitionSpec> partitions, String diskBase, boolean format,
                              Map<String, String> fsOptions) {
        public StorageSpec {
            partitions = List.copyOf(partitions);
            fsOptions = Map.copyOf(fsOptions);
        }

        /** The kind of target; null only in a spec that failed validation. */
        public Target target() {
            return where == null ? null : where.kind();
        }

        /** The directory of a {@code --dir} target. */
        public java.nio.file.Path dir() {
            return ((StorageTarget.Dir) where).dir();
        }

        /** The volume group of an {@code --lvm} target. */
        public String vg() {
            return ((StorageTarget.Lvm) where).vg();
        }

        /** The pool or dataset of a {@code --zpool} target. */
        public String pool() {
            return ((StorageTarget.Zpool) where).pool();
        }

        /** The root's device of an {@code --image-dev} target. */
        public String imageDevice() {
            return ((StorageTarget.ImageDev) where).device();
        }

        public PartitionSpec root() {
            return partitions.stream().filter(PartitionSpec::isRoot).findFirst().orElseThrow();
        }

        /** The Xen disk name of partition {@code index} (0-based): xvda1, xvda2, ... */
        public String deviceName(int index) {
            return diskBase + (index + 1);
        }
    }

    /**
     * @param mirror      the mirror URL (given, or guessed from the dom0's apt sources); empty for tar and copy
     * @param mirrorOrigin where the mirror came from, for the plan and the log
     * @param method      how the base system is installed (cdebootstrap, rinse, rpmstrap are refused)
     * @param source      the tarball or directory for tar and copy
     * @param installer   the command for debootstrap (--debootstrap-cmd), or null for the default
     * @param caches      what the install keeps for the next one
     */
    public record InstallSpec(boolean enabled, String dist, String family, String arch, Optional<String> mirror, String mirrorOrigin,
                              InstallMethod method, String methodWhy, String source, String installer, String keyring,
                              Optional<String> aptProxy, Caches caches, List<String> extraPackages) {
        public InstallSpec {
            extraPackages = List.copyOf(extraPackages);
        }

        /**
         * @param debs    keep downloaded .debs in {@code debDir} (--cache, debootstrap's)
         * @param base    use and fill the base-tree cache in {@code baseDir}, of at most {@code baseMax}
         */
        public record Caches(boolean debs, Path debDir, boolean base, Path baseDir, Size baseMax) {
        }
    }

    /**
     * @param start   how the guest boots: its boot path and type
     * @param kernel  the dom0 kernel the guest boots, with {@link BootPath#DOM0_KERNEL}; else null (as initrd and modules)
     * @param output  directory of the domU .cfg
     * @param after   what follows the create: xl create, first contact
     */
    public record DomainSpec(Size memory, Size maxmem, int vcpus, Boot start, String kernel, String initrd, String modules,
                             String serialDevice, Path output, String extension, String template, AfterCreate after) {
        /**
         * @param boot       start the guest with xl create once made (--boot)
         * @param waitSsh    with --boot, how long to wait for the guest's SSH with the host key jxen made; null: not at all
         * @param knownHosts a known_hosts file to add the guest's host keys to; null: none
         */
        public record AfterCreate(boolean boot, java.time.Duration waitSsh, Path knownHosts) {
        }

        public boolean pygrub() {
            return start.path() == BootPath.PYGRUB;
        }

        public Path configFile(Hostname host) {
            return output.resolve(host.fqdn() + extension);
        }
    }

    /**
     * @param mode   bridge, route (vif-route) or nat (vif-nat)
     * @param config the guest's network configuration: ifupdown or networkd
     */
    public record NetworkSpec(boolean dhcp, List<IpAddress> ips, String netmask, IpAddress gateway, String broadcast, IpAddress p2p,
                              List<String> nameservers, MacAddress mac, String bridge, String vifname, String vlan,
                              boolean nohosts, boolean copyhosts, NetworkMode mode, NetworkConfig config) {
        public NetworkSpec {
            ips = List.copyOf(ips);
            nameservers = List.copyOf(nameservers);
        }
    }

    /**
     * @param password       the root password given with --password, or null
     * @param passwordFile   where a generated password goes (mode 0600) instead of the summary, or null
     * @param authorizedKeys public keys for root's authorized_keys, read from --authorized-keys
     */
    public record AccountSpec(Secret password, boolean genpass, int genpassLen, String hashMethod,
                              boolean passwdPrompt, boolean copyAccounts, String admins, Path passwordFile,
                              List<String> authorizedKeys) {
        public AccountSpec {
            authorizedKeys = List.copyOf(authorizedKeys);
        }
    }

    public record CustomizeSpec(boolean hooks, List<String> roles, String roleArgs, List<String> finalRoles, String roledir) {
        public CustomizeSpec {
            roles = List.copyOf(roles);
            finalRoles = List.copyOf(finalRoles);
        }
    }

    public record RunSpec(boolean force, boolean keep, boolean verbose, boolean quiet, boolean dryRun, boolean json, Path log) {
    }

    /** A value that never prints itself. */
    public record Secret(String value) {
        @Override
        public String toString() {
            return "********";
        }
    }
}
