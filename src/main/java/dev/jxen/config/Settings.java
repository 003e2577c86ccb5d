package dev.jxen.config;

import dev.jxen.config.Setting.Kind;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog of every setting jxen understands: the whole option surface of xen-tools 4.9.2's
 * {@code xen-create-image} plus jxen's own. The picocli mixins in {@code cli.option} declare the same
 * names; a unit test keeps the two and the real {@code xen-create-image --help} in agreement.
 */
public final class Settings {
    private static final Map<String, Setting> BY_KEY = new LinkedHashMap<>();
    private static final Map<String, Setting> BY_CLI_NAME = new LinkedHashMap<>();

    static {
        // general
        cli("help"); cli("manual"); cli("version"); cli("dumpconfig"); cli("config");
        flag("verbose", "noverbose", "no-verbose");
        flag("debug", "nodebug", "no-debug");
        flag("force", "noforce", "no-force");
        flag("keep", "nokeep", "no-keep");
        flag("boot", "noboot", "no-boot");
        value("output"); value("extension"); value("template");
        value("hooks"); value("install"); value("partitions");
        list("role"); value("role-args"); list("finalrole"); value("roledir");
        value("copy-cmd"); value("tar-cmd");
        // sizing and disks
        value("size"); value("swap"); flag("noswap");
        value("memory"); value("maxmem"); value("vcpus"); value("fs"); value("image");
        value("image-dev"); value("swap-dev"); flag("dontformat");
        value("disk_device"); flag("ide"); flag("scsi"); value("serial_device");
        // storage target
        value("dir"); value("lvm"); value("lvm_thin"); value("zpool"); value("evms");
        // install
        value("hostname"); value("dist"); value("arch"); value("mirror");
        value("install-method"); value("install-source"); value("debootstrap-cmd");
        value("keyring"); value("cache"); value("cachedir"); value("apt_proxy");
        value("kernel"); value("initrd"); value("modules");
        flag("pygrub", "nopygrub", "no-pygrub");
        // network
        list("ip"); flag("dhcp", "nodhcp", "no-dhcp");
        value("gateway"); value("netmask"); value("broadcast"); value("nameserver");
        value("mac"); flag("randommac"); value("bridge"); value("vifname"); value("vlan"); value("p2p");
        add(new Setting("nohosts", Kind.FLAG, false, false, List.of("no-hosts"), List.of()));
        add(new Setting("copyhosts", Kind.FLAG, false, false, List.of("copy-hosts"), List.of("nocopyhosts", "no-copyhosts", "nocopy-hosts", "no-copy-hosts")));
        // accounts
        add(new Setting("password", Kind.VALUE, true, false, List.of(), List.of()));
        value("genpass");
        add(new Setting("genpass_len", Kind.VALUE, false, false, List.of("genpass-len"), List.of()));
        value("hash_method");
        flag("passwd", "nopasswd", "no-passwd");
        flag("accounts", "noaccounts", "no-accounts");
        value("admins");
        // jxen's own
        value("profile");
        add(new Setting("dry-run", Kind.FLAG, false, true, List.of(), List.of()));
        add(new Setting("json", Kind.FLAG, false, true, List.of(), List.of()));
        add(new Setting("config-dir", Kind.VALUE, false, true, List.of(), List.of()));
        flag("base-cache", "no-base-cache");
        value("base-cache-dir"); value("base-cache-max");
        flag("quiet");
        value("log");
        value("network-mode");
        value("network-config");
        value("password-file");
        value("password-from");
        value("authorized-keys");
    }

    private Settings() {
    }

    private static void cli(String key) {
        add(new Setting(key, key.equals("config") ? Kind.VALUE : Kind.FLAG, false, true, List.of(), List.of()));
    }

    private static void value(String key) {
        add(new Setting(key, Kind.VALUE, false, false, List.of(), List.of()));
    }

    private static void list(String key) {
        add(new Setting(key, Kind.LIST, false, false, List.of(), List.of()));
    }

    private static void flag(String key, String... negations) {
        add(new Setting(key, Kind.FLAG, false, false, List.of(), List.of(negations)));
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
}
