package dev.jxen.e2e;

import dev.jxen.xen.DomUConfigFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trixie guest as this machine makes it with the defaults (it has grub-xen-host and no hypervisor):
 * deb822 sources with trixie-security, pvgrub2 in PVH mode, a right fstab, network and hostname; as
 * PV with pvgrub2, which cannot unpack its zstd kernel, an unpacked copy of it that its boot menu
 * starts under PV and vmlinuz under PVH; and jxen-update-image on it runs the trixie hooks and tells
 * them the guest's own release.
 */
@Tag("root")
@Tag("mirror")
class TrixieGuestIT {
    @TempDir
    static Path tmp;
    static Jxen jxen;

    @BeforeAll
    static void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
    }

    /** t1, a trixie guest with the defaults: the first test checks it, the update test changes it. */
    static final Shared<Jxen.Result> T1 = new Shared<>(() -> jxen.run("jxen-create-image", args("t1", "--dhcp")));

    private static List<String> args(String host, String... more) {
        List<String> a = new ArrayList<>(List.of("--config-dir", jxen.config.toString(), "--hostname", host, "--dir", jxen.store.toString(),
                "--dist", "trixie", "--output", jxen.output.toString(), "--log", jxen.log(host).toString(),
                "--base-cache-dir", Jxen.SHARED_CACHE.toString()));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void aTrixieGuestWithTheDefaultsBootsWithPvgrub2AsPvhAndHasDeb822Sources() throws Exception {
        Jxen.Result r = T1.get();
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("Boot            :  pvgrub2, PVH"), r.out());
        DomUConfigFile cfg = DomUConfigFile.read(jxen.cfg("t1"));
        assertEquals("pvh", cfg.values().get("type"));
        assertEquals("/usr/lib/grub-xen/grub-i386-xen_pvh.bin", cfg.values().get("kernel"));
        assertFalse(cfg.values().containsKey("bootloader"), cfg.values().toString());
        try (GuestImage g = GuestImage.mount(jxen.image("t1", "disk"), tmp.resolve("mnt-t1"))) {
            assertTrue(g.read("etc/os-release").contains("VERSION_CODENAME=trixie"));
            String sources = g.read("etc/apt/sources.list.d/debian.sources");
            assertTrue(sources.contains("Suites: trixie trixie-updates") && sources.contains("Suites: trixie-security"), sources);
            assertTrue(g.read("etc/apt/sources.list").lines().allMatch(l -> l.startsWith("#")), g.read("etc/apt/sources.list"));
            assertTrue(g.read("etc/fstab").matches("(?s).*/dev/xvda2\\s+/\\s+ext4.*"), g.read("etc/fstab"));
            assertTrue(g.read("etc/network/interfaces").contains("iface enX0 inet dhcp"), g.read("etc/network/interfaces"));
            assertTrue(Files.exists(g.root.resolve("usr/sbin/ifup")), "ifupdown is in the base");
            assertEquals("t1\n", g.read("etc/hostname"));
            String menu = g.read("boot/grub/grub.cfg");
            assertTrue(menu.contains("root=/dev/xvda2") && menu.contains("console=hvc0"), menu);
            try (var kernels = Files.list(g.root.resolve("boot"))) {
                String newest = kernels.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vmlinuz-")).sorted().reduce((a, b) -> b).orElseThrow();
                assertTrue(menu.contains("linux /boot/" + newest + " "), menu);
            }
            assertTrue(Files.isSymbolicLink(g.root.resolve("bin")), "merged /usr");
            assertFalse(Files.exists(g.root.resolve("etc/ssh/ssh_host_dsa_key")));
        }
        Leftovers.assertNothingMounted(jxen);
    }

    @Test
    void asPvWithPvgrub2ItBootsItsKernelUnpacked() throws Exception {
        Jxen.Result r = jxen.run("jxen-create-image", args("t2", "--dhcp", "--type", "pv"));
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("Boot            :  pvgrub2, PV"), r.out());
        DomUConfigFile cfg = DomUConfigFile.read(jxen.cfg("t2"));
        assertEquals("/usr/lib/grub-xen/grub-x86_64-xen.bin", cfg.values().get("kernel"));
        assertEquals("pv", cfg.values().get("type"));
        try (GuestImage g = GuestImage.mount(jxen.image("t2", "disk"), tmp.resolve("mnt-t2"))) {
            String version;
            try (var kernels = Files.list(g.root.resolve("boot"))) {
                version = kernels.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vmlinuz-")).sorted()
                        .reduce((a, b) -> b).orElseThrow().substring("vmlinuz-".length());
            }
            Path unpacked = g.root.resolve("boot/vmlinux-" + version);
            try (var in = Files.newInputStream(unpacked)) {
                assertEquals(dev.jxen.customize.KernelImage.Packing.ELF, dev.jxen.customize.KernelImage.packing(in));
            }
            try (var in = Files.newInputStream(g.root.resolve("boot/vmlinuz-" + version))) {
                assertEquals(dev.jxen.customize.KernelImage.Packing.ZSTD, dev.jxen.customize.KernelImage.packing(in));
            }
            assertTrue(Files.size(unpacked) > 3 * Files.size(g.root.resolve("boot/vmlinuz-" + version)));
            String menu = g.read("boot/grub/grub.cfg");
            assertTrue(menu.contains("if [ \"$grub_platform\" = xen ]; then\n        linux /boot/vmlinux-" + version + " root=/dev/xvda2 ro console=hvc0")
                    && menu.contains("else\n        linux /boot/vmlinuz-" + version + " root=/dev/xvda2"), menu);
            assertTrue(Files.exists(g.root.resolve("usr/bin/zstd")), "with which the guest unpacks the kernels it installs later");
        }
        assertTrue(jxen.log("t2").toFile().exists() && Files.readString(jxen.log("t2")).contains("(elf)"), "the guest kernel stage read the unpacked one");
        Leftovers.assertNothingMounted(jxen);
    }

    /** Without zstd in the guest its zstd kernel cannot be unpacked for pvgrub2: the create fails and leaves nothing. */
    @Test
    void aZstdKernelThatCannotBeUnpackedFailsTheCreateAndLeavesNothing() throws Exception {
        Path conf = dev.jxen.cli.InProcess.scratchConfigDir(tmp.resolve("nozstd"));
        Path hook = Files.createDirectories(conf.resolve("hooks.d")).resolve("45-no-zstd");
        Files.writeString(hook, "#!/bin/sh\nset -e\nchroot \"$1\" rm -f /usr/bin/zstd\n");
        Files.setPosixFilePermissions(hook, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> a = args("t3", "--dhcp", "--type", "pv");
        a.set(a.indexOf("--config-dir") + 1, conf.toString());
        Jxen.Result r = jxen.run("jxen-create-image", a);
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.err().contains("zstd-compressed") && r.err().contains("zstd is not installed"), r.err());
        assertFalse(Files.exists(jxen.image("t3", "disk")), "rolled back");
        assertFalse(Files.exists(jxen.cfg("t3")));
        Leftovers.assertNothingMounted(jxen);
    }

    @Test
    void updateRunsTheTrixieHooksWithTheGuestsOwnRelease() throws Exception {
        assertEquals(0, T1.get().exit(), T1.get().all());
        Path conf = dev.jxen.cli.InProcess.scratchConfigDir(tmp.resolve("hookconf"));
        Path hook = Files.createDirectories(conf.resolve("hooks.d")).resolve("95-report");
        // as xen-tools' hooks do: a command chrooted into the guest makes a temporary file (apt's maintainer scripts do)
        Files.writeString(hook, "#!/bin/sh\nset -e\nt=$(chroot \"$1\" mktemp)\necho \"dist=$dist boot=$boot_path type=$type\" > \"$1/root/hook-report\"\n"
                + "echo \"$t\" >> \"$1/root/hook-report\"\n");
        Files.setPosixFilePermissions(hook, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Jxen.Result r = jxen.run("jxen-update-image", List.of("--config-dir", conf.toString(), "--output", jxen.output.toString(),
                "--no-upgrade", "--hooks", "t1"));
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("the guest runs debian trixie"), r.out());
        try (GuestImage g = GuestImage.mount(jxen.image("t1", "disk"), tmp.resolve("mnt-t1u"))) {
            String report = g.read("root/hook-report");
            assertTrue(report.startsWith("dist=trixie boot=pvgrub2 type=pvh\n/tmp/tmp."), "a chrooted mktemp works in the sandbox: " + report);
            assertTrue(g.read("etc/apt/sources.list.d/debian.sources").contains("trixie-security"));
        }
        Leftovers.assertNothingMounted(jxen);
    }
}
