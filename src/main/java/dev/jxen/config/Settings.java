package dev.jxen.config;

import dev.jxen.config.Setting.Kind;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog of every setting jxen understands: the whole option surface of xen-tools 4.9.2's
 * {@code xen-create-image} plus jxen's own, each declared once. The picocli mixins in {@code cli.option}
 * declare the same names (a unit test keeps the two and the real {@code xen-create-image --help} in
 * agreement) and take their descriptions from here.
 */
public final class Settings {
    private static final Map<String, Setting> BY_KEY = new LinkedHashMap<>();
    private static final Map<String, Setting> BY_CLI_NAME = new LinkedHashMap<>();

    static {
        // general
        action("help", "Show this help message and exit.");
        action("manual", "Print this help and where the full manual is (its man page and the README).");
        action("version", "Print version information and exit.");
        action("dumpconfig", "Print every setting with its value and where it came from (a file and line, the command line, or jxen's default), and exit.");
        add(new Setting("config", Kind.VALUE, false, true, false, List.of(), List.of(), null,
                "Read FILE (or /etc/xen-tools/FILE) after xen-tools.conf. The command line still wins.", null));
        flag("verbose", "Show each command and its output (--noverbose to turn off).", "noverbose", "no-verbose");
        flag("debug", "Same as --verbose (also as debug = 1 in a config file); on the command line, also print stack traces of errors.", "nodebug", "no-debug");
        flag("force", "Replace an existing guest: the new one is built beside it and swapped in only when complete. "
                + "Format a device that holds data. Never a running guest.", "noforce", "no-force");
        flag("keep", "On failure, keep the images or volumes made so far (unmounted).", "nokeep", "no-keep");
        flag("boot", "Start the guest with 'xl create' once it is made (--noboot to turn off).", "noboot", "no-boot");
        value("output", "/etc/xen", "Directory for the domU .cfg.");
        value("extension", ".cfg", "Suffix of the .cfg file.");
        value("template", null, "Template for the .cfg: a FreeMarker file (NAME.ftl), or any other name an xen-tools Text::Template "
                + "file (xm.tmpl), filled with Perl's Text::Template and the variables xen-tools gives it.");
        value("hooks", "1", "Run the hooks after the base install (1 or 0).");
        value("install", "1", "Install a base system (1 or 0).");
        value("partitions", null, "Partition layout from partitions.d (or a file); then --size, --swap and --fs do not apply.");
        list("role", "Role script(s) to run after the hooks; repeatable or comma-separated.");
        value("role-args", null, "Arguments passed to every role script.");
        list("finalrole", "Role script(s) to run after the .cfg is written.");
        value("roledir", null, "Directory of role scripts (default: role.d in the configuration directory).");
        ignored("copy-cmd", "xen-tools 4.9.2 ignores it too: jxen copies an --install-source with cp --archive");
        ignored("tar-cmd", "xen-tools 4.9.2 ignores it too: jxen unpacks an --install-source with GNU tar");
        // sizing and disks
        value("size", "4G", "Size of the root disk, with a unit: 4G, 2048M.");
        value("swap", "512M", "Size of the swap disk, with a unit.");
        flag("noswap", "Make no swap disk.");
        value("memory", "256M", "Memory of the guest; a bare number is MB.");
        value("maxmem", null, "Maximum memory, for ballooning; a bare number is MB.");
        value("vcpus", "1", "Virtual CPUs.");
        value("fs", "ext4", "Filesystem of every disk: ext2, ext3, ext4, xfs, btrfs.");
        value("image", "sparse", "Image files sparse or full (fully allocated); --dir only.");
        value("image-dev", null, "Use an existing device as the root disk.");
        value("swap-dev", null, "Use an existing device as swap (with --image-dev).");
        flag("dontformat", "Do not make filesystems; the devices are formatted already.");
        value("disk_device", "xvda", "First disk's name in the guest.");
        flag("ide", "Name the guest's disks hda, hdb, ...");
        flag("scsi", "Name the guest's disks sda, sdb, ...");
        value("serial_device", "hvc0", "Console device for a getty.");
        for (String fs : List.of("ext2", "ext3", "ext4", "xfs", "btrfs")) {
            add(new Setting(fs + "_options", Kind.VALUE, false, false, true, List.of(), List.of(), "defaults",
                    "Mount options of " + fs + " filesystems in the guest's fstab.", null));
        }
        // Debian's xen-tools.conf sets it; jxen makes no reiserfs (gone from Linux 6.13), so --fs reiserfs is refused.
        add(new Setting("reiserfs_options", Kind.VALUE, false, false, true, List.of(), List.of(), null,
                "Mount options of reiserfs filesystems, which jxen does not make (--fs reiserfs is refused).", null));
        // storage target
        value("dir", null, "Image files under DIR/domains/HOST/.");
        value("lvm", null, "Logical volumes HOST-disk, HOST-swap, ... in volume group VG.");
        value("lvm_thin", null, "Make thin volumes in this thin pool of the volume group.");
        value("zpool", null, "ZFS volumes in POOL.");
        value("evms", null, "Refused: EVMS is gone from Linux.");
        // install
        value("hostname", null, "The guest's host name, ideally fully qualified.");
        value("dist", null, "Release to install (default: the dom0's own).");
        value("arch", null, "Architecture (default: the dom0's).");
        value("mirror", null, "Mirror to install from (default: from the dom0's apt sources).");
        value("install-method", null, "debootstrap, mmdebstrap, tar, copy or installer (the Debian Installer, preseeded; default: mmdebstrap where it is installed and no debootstrap setting is given, else debootstrap).");
        value("install-source", null, "Tarball (tar) or directory (copy) to install from.");
        value("debootstrap-cmd", null, "debootstrap command to run.");
        value("keyring", null, "Keyring that debootstrap checks the mirror with.");
        value("cache", "yes", "Keep downloaded .debs in --cachedir (yes or no).");
        value("cachedir", "/var/cache/apt/archives", "Where debootstrap keeps downloaded .debs.");
        value("apt_proxy", null, "HTTP proxy for the install and the guest's apt.");
        value("kernel", null, "dom0 kernel to boot the guest with.");
        value("initrd", null, "Initial ramdisk for --kernel.");
        value("modules", null, "With a dom0 kernel (--kernel): the directory of its modules to copy into the guest's /lib/modules "
                + "(default: /lib/modules/VERSION of the dom0, VERSION from vmlinuz-VERSION); not used with pygrub.");
        flag("pygrub", "Boot the guest's own kernel with pygrub (--nopygrub to turn off).", "nopygrub", "no-pygrub");
        value("boot-path", null, "How the guest boots: pvgrub2 (GRUB built for Xen, from grub-xen-host, reading the guest's own "
                + "kernel and menu), pygrub, or dom0-kernel (--kernel). Default: pvgrub2 where the dom0 has grub-xen-host, else pygrub. "
                + "With --pygrub and --kernel, the one given in the highest layer wins.");
        value("type", null, "The guest's type: pvh or pv. Default: PVH for pvgrub2 where the hypervisor can run PVH guests "
                + "(or cannot be asked), else PV.");
        // network
        list("ip", "Static address, optionally /prefix; repeatable (the first is the main one).");
        flag("dhcp", "Configure the network by DHCP (--nodhcp to turn off).", "nodhcp", "no-dhcp");
        value("gateway", null, "Default gateway.");
        value("netmask", null, "Netmask, such as 255.255.255.0.");
        value("broadcast", null, "Broadcast address.");
        value("nameserver", null, "Name servers, separated by spaces (default: the dom0's resolv.conf).");
        value("mac", null, "MAC address of the first interface (default: derived from the guest, as xen-tools does).");
        flag("randommac", "Use a random MAC address.");
        value("bridge", null, "Bridge for the guest's interface.");
        value("vifname", null, "Name of the interface on the dom0.");
        value("vlan", null, "VLAN (Open vSwitch).");
        value("p2p", null, "Point-to-point peer of a static IPv4 address (routed hosting), written into the guest's network "
                + "configuration as xen-tools does: ifupdown's pointopoint, networkd's Peer=.");
        add(new Setting("nohosts", Kind.FLAG, false, false, false, List.of("no-hosts"), List.of(), "0",
                "Do not add the guest to the dom0's /etc/hosts.", null));
        add(new Setting("copyhosts", Kind.FLAG, false, false, false, List.of("copy-hosts"),
                List.of("nocopyhosts", "no-copyhosts", "nocopy-hosts", "no-copy-hosts"), "0",
                "Copy the dom0's /etc/hosts entries into the guest (--nocopyhosts to turn off).", null));
        // accounts
        add(new Setting("password", Kind.VALUE, true, false, false, List.of(), List.of(), null,
                "Root password. Every local user can read it in ps while jxen runs: prefer --password-from, --passwd or --genpass.", null));
        value("genpass", "1", "Generate a root password and show it once (1 or 0).");
        add(new Setting("genpass_len", Kind.VALUE, false, false, false, List.of("genpass-len"), List.of(), "20",
                "Length of a generated password.", null));
        value("hash_method", "sha512", "Password hash: sha512 or sha256.");
        flag("passwd", "Ask for the root password on the terminal.", "nopasswd", "no-passwd");
        flag("accounts", "Copy the dom0's ordinary users (uid 1000-59999) into the guest.", "noaccounts", "no-accounts");
        value("admins", null, "Refused: xen-shell administrators (xen-shell is no longer packaged).");
        // jxen's own
        value("profile", null, "Apply profiles/NAME.conf of the configuration directory above --config.");
        add(new Setting("dry-run", Kind.FLAG, false, true, false, List.of(), List.of(), "0",
                "Print what would be done, stage by stage, and change nothing.", null));
        add(new Setting("json", Kind.FLAG, false, true, false, List.of(), List.of(), "0",
                "Write machine-readable JSON: one event per line, or the plan with --dry-run.", null));
        add(new Setting("config-dir", Kind.VALUE, false, true, false, List.of(), List.of(), null,
                "Configuration directory instead of /etc/xen-tools (also JXEN_CONFIG_DIR).", null));
        flag("base-cache", "Use and fill the base-tree cache (--no-base-cache to bypass it).", "no-base-cache");
        value("base-cache-dir", "/var/cache/jxen/base", "Base-tree cache directory.");
        value("base-cache-max", "8G", "Size bound of the base-tree cache (its tarballs and ready images).");
        flag("quiet", "Print only warnings, errors and the summary.");
        value("log", null, "Log file (default /var/log/xen-tools/HOST.log).");
        value("network-mode", "bridge", "How the vif reaches the network: bridge, route (vif-route, static addresses) or nat (vif-nat).");
        value("network-config", "ifupdown", "The guest's network configuration: ifupdown or networkd (systemd-networkd, matched by MAC).");
        value("password-file", null, "Write a generated root password to FILE (mode 0600) instead of showing it.");
        value("password-from", null, "Read the root password from the first line of FILE (not readable by others), or from standard input with '-'.");
        value("authorized-keys", null, "Public keys (one per line) allowed to log in as root over SSH.");
        value("wait-ssh", null, "With --boot, wait up to SECONDS (300 when none is given) until the guest answers SSH on its address "
                + "with a host key jxen made for it; any other key is an error. Needs a static address.");
        value("known-hosts", null, "Add the guest's SSH host keys for its address to FILE (a known_hosts file), hashed as ssh-keygen -H "
                + "writes them, so that ssh connects without asking. Needs a static address.");
    }

    private Settings() {
    }

    private static void action(String key, String help) {
        add(new Setting(key, Kind.FLAG, false, true, false, List.of(), List.of(), null, help, null));
    }

    private static void value(String key, String dflt, String help) {
        add(new Setting(key, Kind.VALUE, false, false, false, List.of(), List.of(), dflt, help, null));
    }

    private static void ignored(String key, String why) {
        add(new Setting(key, Kind.VALUE, false, false, false, List.of(), List.of(), null, "Accepted and ignored: " + why + ".", why));
    }

    private static void list(String key, String help) {
        add(new Setting(key, Kind.LIST, false, false, false, List.of(), List.of(), null, help, null));
    }

    private static void flag(String key, String help, String... negations) {
        boolean on = key.equals("base-cache");
        add(new Setting(key, Kind.FLAG, false, false, false, List.of(), List.of(negations), on ? "1" : "0", help, null));
    }

    private static void add(Setting s) {
        BY_KEY.put(s.key(), s);
        for (String n : s.cliNames()) {
            BY_CLI_NAME.put(n, s);
        }
    }

    public static Collection<Setting> all() {
        return BY_KEY.values();
    }

    public static Optional<Setting> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** The setting an option name (without leading dashes) sets. */
    public static Optional<Setting> byCliName(String name) {
        return Optional.ofNullable(BY_CLI_NAME.get(name));
    }

    /** True if this key's value must never be shown: a secret setting. */
    public static boolean isSecret(String key) {
        Setting s = BY_KEY.get(key);
        return s != null && s.secret();
    }

    /** jxen's own default of a setting, when no layer sets it. */
    public static Optional<String> defaultOf(String key) {
        return byKey(key).map(Setting::dflt);
    }
}
