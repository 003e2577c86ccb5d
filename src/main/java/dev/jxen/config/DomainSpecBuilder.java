package dev.jxen.config;

import dev.jxen.config.ImageSpec.DomainSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** The domain part of the spec: memory, vcpus, how the guest boots, where its .cfg goes. */
final class DomainSpecBuilder {
    private static final Pattern SERIAL = Pattern.compile("(?:/dev/)?((?:tty|hvc|xvc)[0-9]+)");
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9._-]{0,16}");

    private final SettingReader r;
    private final ConfigSources sources;

    DomainSpecBuilder(SettingReader r, ConfigSources sources) {
        this.r = r;
        this.sources = sources;
    }

    /** @param start how the guest boots: only with a dom0 kernel are the kernel, initrd and modules settings used */
    DomainSpec build(ImageSpec.Boot start, ImageSpec.NetworkSpec network) {
        Size memory = r.size("memory", true);
        if (memory != null && memory.bytes() < (32L << 20)) {
            r.problem(r.where("memory") + ": a guest needs at least 32M");
        }
        if (memory != null && memory.bytes() < (512L << 20) && start.path() == ImageSpec.BootPath.PYGRUB
                && start.type() == ImageSpec.GuestType.PV) {
            r.warn(r.where("memory") + ": with pygrub, Xen unpacks a PV guest's initramfs into its memory before the kernel runs "
                    + "(Debian 12's, about 130 MB unpacked, left a 320M guest out of memory on Xen 4.17); give --memory 512M or more, "
                    + "or boot it with pvgrub2");
        }
        Size maxmem = r.layers().get("maxmem").isPresent() ? r.size("maxmem", true) : null;
        if (maxmem != null && memory != null && maxmem.bytes() < memory.bytes()) {
            r.problem(r.where("maxmem") + ": is less than memory (" + memory + ")");
        }
        int vcpus = r.integer("vcpus", 1, 512);
        boolean dom0Kernel = start.path() == ImageSpec.BootPath.DOM0_KERNEL;
        String kernel = dom0Kernel ? r.existingFile("kernel") : null;
        String initrd = dom0Kernel ? r.existingFile("initrd") : null;
        String modules = dom0Kernel ? r.text("modules").orElse(null) : null;
        if (modules != null && !Files.isDirectory(Path.of(modules))) {
            r.problem(r.where("modules") + ": no such directory");
        }
        if (dom0Kernel && r.text("kernel").isEmpty()) {
            r.problem(r.where("boot-path") + ": a dom0 kernel needs --kernel FILE (and usually --initrd FILE)");
        }
        String serial = r.value("serial_device");
        var sm = SERIAL.matcher(serial);
        if (!sm.matches()) {
            r.problem(r.where("serial_device") + ": must be a serial device such as hvc0, tty1 or xvc0");
        }
        Path output = r.path("output");
        String extension = r.value("extension");
        if (!EXTENSION.matcher(extension).matches()) {
            r.problem(r.where("extension") + ": may hold only letters, digits, '.', '_', '-' (at most 16)");
        }
        boolean boot = r.flag("boot");
        String template = template();
        return new DomainSpec(memory, maxmem, vcpus, start, kernel, initrd, modules, sm.matches() ? sm.group(1) : "hvc0",
                output, extension, template, new DomainSpec.AfterCreate(boot, waitSsh(boot, network), knownHosts(network)));
    }

    /**
     * --template: a FreeMarker {@code .ftl}, or any other name an xen-tools Text::Template file, filled
     * as xen-tools fills it. A relative name is looked for where xen-tools looks: the working
     * directory, then the configuration directory. The path is made absolute here, once.
     */
    private String template() {
        String given = r.text("template").filter(t -> !t.isBlank()).orElse(null);
        if (given == null) {
            return null;
        }
        Path p = sources.templateFile(given);
        if (!Files.isRegularFile(p)) {
            r.problem(r.where("template") + ": no such template file (looked for " + p + ")");
            return null;
        }
        return p.toString();
    }

    /** --wait-ssh: seconds, 300 when typed without; it needs --boot and an address to reach. */
    private java.time.Duration waitSsh(boolean boot, ImageSpec.NetworkSpec network) {
        if (r.layers().get("wait-ssh").isEmpty()) {
            return null;
        }
        String given = r.text("wait-ssh").orElse("300");
        if (!given.matches("\\d{1,5}") || Integer.parseInt(given) < 1 || Integer.parseInt(given) > 86_400) {
            r.problem(r.where("wait-ssh") + ": give the seconds to wait, from 1 to 86400 (300 when none is given)");
            return null;
        }
        if (!boot) {
            r.problem(r.where("wait-ssh") + ": waits for a guest that --boot starts; add --boot");
        }
        if (address(network).isEmpty()) {
            r.problem(r.where("wait-ssh") + ": needs the guest's address, and a DHCP guest's is not known to jxen; give --ip");
        }
        return java.time.Duration.ofSeconds(Integer.parseInt(given));
    }

    /** --known-hosts: a file in a directory that exists, for a guest with a static address. */
    private Path knownHosts(ImageSpec.NetworkSpec network) {
        Optional<String> file = r.text("known-hosts");
        if (file.isEmpty()) {
            return null;
        }
        Path p = Path.of(file.get()).toAbsolutePath().normalize();
        if (p.getParent() == null || !Files.isDirectory(p.getParent())) {
            r.problem(r.where("known-hosts") + ": no directory " + p.getParent() + " to hold it");
        } else if (Files.exists(p) && !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            r.problem(r.where("known-hosts") + ": " + p + " is not a regular file");
        }
        if (address(network).isEmpty()) {
            r.problem(r.where("known-hosts") + ": needs the guest's address, and a DHCP guest's is not known to jxen; give --ip");
        }
        return p;
    }

    /** The address the guest answers on: its first static one. */
    static Optional<String> address(ImageSpec.NetworkSpec network) {
        return network.dhcp() || network.ips().isEmpty() ? Optional.empty() : Optional.of(network.ips().get(0).address());
    }
}
