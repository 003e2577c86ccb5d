package dev.jxen.e2e;

import dev.jxen.customize.ShaCrypt;
import dev.jxen.system.HostLock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real creates through bin/jxen-create-image: images, the base-tree cache, guest files, identity, list and delete. */
@Tag("root")
@Tag("mirror")
class CreateImageIT {
    @TempDir
    static Path tmp;
    static Jxen jxen;
    /** A guest with the shipped defaults, which the first test checks and the second compares its own with. */
    static final Shared<Jxen.Result> T1 = new Shared<>(() -> jxen.create("t1"));

    @BeforeAll
    static void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
    }

    @Test
    void createsADebianBookwormImageWithEverythingAGuestNeeds() throws Exception {
        Jxen.Result r = T1.get();
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("Installation Summary"), r.out());
        assertTrue(r.out().contains("Config file     :  " + jxen.cfg("t1")), r.out());
        String password = r.out().lines().filter(l -> l.startsWith("Root Password   :  ")).findFirst().orElseThrow().substring(19);
        assertEquals(20, password.length());
        Leftovers.assertNothingMounted(jxen);
        try (GuestImage g = GuestImage.mount(jxen.image("t1", "disk"), tmp.resolve("mnt-t1"))) {
            assertTrue(g.read("etc/os-release").contains("VERSION_CODENAME=bookworm"));
            assertEquals("t1\n", g.read("etc/hostname"));
            String fstab = g.read("etc/fstab");
            assertTrue(fstab.matches("(?s).*/dev/xvda2\\s+/\\s+ext4\\s+noatime.*"), fstab);
            assertTrue(fstab.matches("(?s).*/dev/xvda1\\s+none\\s+swap.*"), fstab);
            assertTrue(g.read("etc/network/interfaces").contains("iface enX0 inet dhcp"));
            String sources = g.read("etc/apt/sources.list");
            assertTrue(sources.contains(" bookworm-security main non-free-firmware"), sources);
            assertTrue(Files.exists(g.root.resolve("etc/ssh/ssh_host_ed25519_key")));
            assertTrue(Files.exists(g.root.resolve("etc/ssh/ssh_host_rsa_key")));
            assertFalse(Files.exists(g.root.resolve("etc/ssh/ssh_host_dsa_key")));
            assertTrue(g.read("etc/machine-id").strip().matches("[0-9a-f]{32}"));
            assertFalse(Files.exists(g.root.resolve("usr/sbin/policy-rc.d")), "policy-rc.d left in the guest");
            assertTrue(g.read("boot/grub/grub.cfg").contains("root=/dev/xvda2"));
            assertTrue(Files.isExecutable(g.root.resolve("etc/kernel/postinst.d/zz-jxen-grub-menu")), "the menu follows kernel upgrades");
            String rootHash = g.read("etc/shadow").lines().filter(l -> l.startsWith("root:")).findFirst().orElseThrow().split(":")[1];
            String salt = rootHash.split("\\$")[2];
            assertEquals(rootHash, ShaCrypt.hash(password, "sha512", salt), "the shown password is the one in shadow");
        }
        var cfg = dev.jxen.xen.DomUConfigFile.read(jxen.cfg("t1"));
        assertEquals(List.of(jxen.image("t1", "disk").toString(), jxen.image("t1", "swap").toString()), cfg.diskTargets());
        assertTrue(cfg.disks().get(1).contains("vdev=xvda1,"), cfg.disks().toString());
        // this machine has grub-xen-host and no hypervisor to ask: pvgrub2, PVH
        assertEquals("pvh", cfg.values().get("type"));
        assertEquals("/usr/lib/grub-xen/grub-i386-xen_pvh.bin", cfg.values().get("kernel"));
        assertFalse(cfg.values().containsKey("bootloader"));
        assertTrue(r.out().contains("Boot            :  pvgrub2, PVH"), r.out());
        assertTrue(cfg.vifField("mac").startsWith("00:16:3E:"), cfg.vifs().toString());
        Process blkid = new ProcessBuilder("blkid", "-o", "value", "-s", "TYPE", jxen.image("t1", "swap").toString()).start();
        assertEquals("swap", new String(blkid.getInputStream().readAllBytes()).strip());
        String log = Files.readString(jxen.log("t1"));
        assertFalse(log.contains(password), "the generated password is in the log");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(jxen.log("t1"))));
    }

    @Test
    void aSecondGuestComesFromTheCacheWithItsOwnIdentity() throws Exception {
        assertEquals(0, T1.get().exit(), T1.get().all());
        Jxen.Result r = jxen.create("t2");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("unpacking the cached base tree") || r.out().contains("a clone of the cached base image"), r.out());
        String keys1;
        String keys2;
        String id1;
        String id2;
        try (GuestImage g = GuestImage.mount(jxen.image("t1", "disk"), tmp.resolve("mnt-a"))) {
            keys1 = g.read("etc/ssh/ssh_host_ed25519_key.pub") + g.read("etc/ssh/ssh_host_rsa_key.pub");
            id1 = g.read("etc/machine-id");
        }
        try (GuestImage g = GuestImage.mount(jxen.image("t2", "disk"), tmp.resolve("mnt-b"))) {
            keys2 = g.read("etc/ssh/ssh_host_ed25519_key.pub") + g.read("etc/ssh/ssh_host_rsa_key.pub");
            id2 = g.read("etc/machine-id");
            assertEquals("t2\n", g.read("etc/hostname"));
        }
        assertNotEquals(keys1, keys2, "two guests share SSH host keys");
        assertNotEquals(id1, id2, "two guests share a machine-id");
    }

    @Test
    void aStaticGuestGetsItsAddressesGatewayAndNameservers() throws Exception {
        Jxen.Result r = jxen.create("web1.example.org", "--nodhcp", "--ip", "192.0.2.10", "--netmask", "255.255.255.0",
                "--gateway", "192.0.2.1", "--nameserver", "192.0.2.53", "--bridge", "xenbr0", "--nohosts");
        assertEquals(0, r.exit(), r.all());
        try (GuestImage g = GuestImage.mount(jxen.image("web1.example.org", "disk"), tmp.resolve("mnt-s"))) {
            String ifaces = g.read("etc/network/interfaces");
            assertTrue(ifaces.contains("iface enX0 inet static\n    address 192.0.2.10/24\n    gateway 192.0.2.1"), ifaces);
            assertEquals("nameserver 192.0.2.53\n", g.read("etc/resolv.conf"));
            assertTrue(g.read("etc/hosts").contains("192.0.2.10    web1.example.org web1"));
            assertEquals("web1\n", g.read("etc/hostname"));
        }
        String cfg = Files.readString(jxen.cfg("web1.example.org"));
        assertTrue(cfg.contains("bridge=xenbr0, ip=192.0.2.10"), cfg);
        assertTrue(cfg.contains("mac=" + dev.jxen.config.MacAddress.derived("web1.example.org", "192.0.2.10", "bookworm")), cfg);
    }

    @Test
    void anExistingGuestIsRefusedWithoutForceAndReplacedWithIt() throws Exception {
        // storage and .cfg are what make a guest exist: no base system is needed for this
        Jxen.Result first = jxen.create("again1", "--install=0");
        assertEquals(0, first.exit(), first.all());
        long before = Files.getLastModifiedTime(jxen.image("again1", "disk")).toMillis();
        Jxen.Result r = jxen.create("again1", "--install=0");
        assertEquals(3, r.exit(), r.all());
        assertTrue(r.err().contains("already exists"), r.err());
        assertEquals(before, Files.getLastModifiedTime(jxen.image("again1", "disk")).toMillis(), "the refused run touched the image");
        Jxen.Result forced = jxen.create("again1", "--install=0", "--force");
        assertEquals(0, forced.exit(), forced.all());
    }

    @Test
    void aConcurrentRunForTheSameHostIsRefusedAtOnce() throws Exception {
        try (HostLock held = HostLock.acquire(jxen.locks, "busy1")) {
            Jxen.Result r = jxen.create("busy1");
            assertEquals(3, r.exit(), r.all());
            assertTrue(r.err().contains("another jxen run is working on busy1"), r.err());
        }
        assertFalse(Files.exists(jxen.store.resolve("domains/busy1")));
    }

    @Test
    void thePasswordReachesOnlyTheShadowFile() throws Exception {
        String secret = "Pw-" + Long.toHexString(System.nanoTime()) + "-x";
        Path hook = Files.createDirectories(jxen.config.resolve("hooks.d")).resolve("98-dump-env");
        Files.writeString(hook, "#!/bin/sh\nenv > \"$1/root/hook-env.txt\"\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process p = jxen.start("jxen-create-image", jxen.createArgs("pw1", "--password", secret));
        Set<String> leaks = ConcurrentHashMap.newKeySet();
        long self = p.pid();
        while (p.isAlive()) {
            ProcessHandle.of(self).ifPresent(h -> h.descendants().forEach(d -> d.info().commandLine().ifPresent(cl -> {
                // the launcher's own forks and the JVM carry what the user typed; jxen's children must not
                boolean launcher = cl.contains("/bin/jxen") || cl.contains("jxen.jar");
                if (cl.contains(secret) && !launcher) {
                    leaks.add(cl);
                }
            })));
            Thread.sleep(20);
        }
        Jxen.Result r = jxen.result(p);
        Files.delete(hook);
        assertEquals(0, r.exit(), r.all());
        assertEquals(Set.of(), leaks, "command lines of jxen's children held the password");
        assertFalse(r.all().contains(secret), "the password was printed");
        assertFalse(Files.readString(jxen.log("pw1")).contains(secret), "the password is in the log");
        try (GuestImage g = GuestImage.mount(jxen.image("pw1", "disk"), tmp.resolve("mnt-pw"))) {
            String env = g.read("root/hook-env.txt");
            assertFalse(env.contains(secret), "the password is in a hook's environment");
            assertTrue(env.contains("hostname=pw1"), env);
            assertTrue(env.contains("ip_count=0"), env);
            String hash = g.read("etc/shadow").lines().filter(l -> l.startsWith("root:")).findFirst().orElseThrow().split(":")[1];
            assertEquals(hash, ShaCrypt.hash(secret, "sha512", hash.split("\\$")[2]));
        }
    }

    @Test
    void aPartitionsLayoutWithExt4XfsAndSwap() throws Exception {
        Path layout = tmp.resolve("layout");
        Files.writeString(layout, "[root]\nsize=2G\ntype=ext4\nmountpoint=/\n\n[swap]\nsize=128M\ntype=swap\n\n"
                + "[home]\nsize=512M\ntype=xfs\nmountpoint=/home\noptions=nodev,nosuid\n");
        Jxen.Result r = jxen.create("parts1", "--partitions", layout.toString());
        assertEquals(0, r.exit(), r.all());
        List<String> types = new ArrayList<>();
        for (String n : List.of("root", "swap", "home")) {
            Process b = new ProcessBuilder("blkid", "-o", "value", "-s", "TYPE", jxen.image("parts1", n).toString()).start();
            types.add(new String(b.getInputStream().readAllBytes()).strip());
        }
        assertEquals(List.of("ext4", "swap", "xfs"), types);
        try (GuestImage g = GuestImage.mount(jxen.image("parts1", "root"), tmp.resolve("mnt-p"))) {
            String fstab = g.read("etc/fstab");
            assertTrue(fstab.matches("(?s).*/dev/xvda3\\s+/home\\s+xfs\\s+nodev,nosuid.*"), fstab);
            assertTrue(fstab.matches("(?s).*/dev/xvda2\\s+/\\s+ext4.*"), fstab);
            assertTrue(fstab.matches("(?s).*/dev/xvda1\\s+none\\s+swap.*"), "numbered as xen-tools numbers them, swap first: " + fstab);
        }
        var cfg = dev.jxen.xen.DomUConfigFile.read(jxen.cfg("parts1"));
        assertTrue(cfg.disks().contains("format=raw, vdev=xvda3, access=rw, target=" + jxen.image("parts1", "home")), cfg.disks().toString());
    }

    @Test
    void listThenDelete() throws Exception {
        for (String g : List.of("ls1", "ls2")) {
            Jxen.Result made = jxen.create(g, "--install=0");
            assertEquals(0, made.exit(), made.all());
        }
        Jxen.Result list = jxen.run("jxen-list-images", List.of("--test", jxen.output.toString(), "--json"));
        assertEquals(0, list.exit(), list.all());
        assertTrue(list.out().contains("\"name\":\"ls2\""), list.out());
        assertTrue(list.out().contains(jxen.image("ls2", "disk").toString()), list.out());
        Jxen.Result del = jxen.run("jxen-delete-image", List.of("--config-dir", jxen.config.toString(), "--dir", jxen.store.toString(),
                "--output", jxen.output.toString(), "ls2"));
        assertEquals(0, del.exit(), del.all());
        assertFalse(Files.exists(jxen.image("ls2", "disk")));
        assertFalse(Files.exists(jxen.image("ls2", "swap")));
        assertFalse(Files.exists(jxen.cfg("ls2")));
        Jxen.Result after = jxen.run("jxen-list-images", List.of("--test", jxen.output.toString()));
        assertFalse(after.out().contains("ls2 "), after.out());
        assertTrue(after.out().contains("ls1 "), after.out());
    }

    @Test
    void jsonEventsParseLineByLineAndEndWithTheSummary() throws Exception {
        Jxen.Result r = jxen.create("json1", "--json");
        assertEquals(0, r.exit(), r.all());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> events = new ArrayList<>();
        for (String line : r.out().strip().split("\n")) {
            events.add(json.readTree(line)); // every line is one JSON object
        }
        assertTrue(events.size() > 20, "too few events: " + events.size());
        assertEquals(Set.of("stage-started", "log", "progress", "stage-finished", "summary"),
                new java.util.TreeSet<>(events.stream().map(e -> e.get("event").asText()).toList()));
        var last = events.get(events.size() - 1);
        assertEquals("summary", last.get("event").asText());
        assertTrue(last.get("success").asBoolean());
        assertEquals("json1", last.get("hostname").asText());
        assertEquals(jxen.cfg("json1").toString(), last.get("cfg").asText());
        assertEquals(3, last.get("ssh_fingerprints").size());
        assertTrue(last.get("mac").asText().startsWith("00:16:3E:"));
        String password = last.get("generated-password").asText();
        assertEquals(20, password.length());
        long withPassword = events.stream().filter(e -> e.toString().contains(password)).count();
        assertEquals(1, withPassword, "the generated password is in more than the summary event");
        assertTrue(events.stream().anyMatch(e -> e.get("event").asText().equals("stage-finished") && e.get("stage").asText().equals("base install")));
    }

    @Test
    void networkdConfigurationIsWrittenAndEnabled() throws Exception {
        Jxen.Result r = jxen.create("nd1", "--nodhcp", "--ip", "192.0.2.20/24", "--gateway", "192.0.2.1", "--network-config", "networkd", "--nohosts");
        assertEquals(0, r.exit(), r.all());
        try (GuestImage g = GuestImage.mount(jxen.image("nd1", "disk"), tmp.resolve("mnt-nd"))) {
            String net = g.read("etc/systemd/network/10-jxen.network");
            assertTrue(net.contains("Address=192.0.2.20/24") && net.contains("Gateway=192.0.2.1"), net);
            assertEquals(Path.of("/lib/systemd/system/systemd-networkd.service"),
                    Files.readSymbolicLink(g.root.resolve("etc/systemd/system/multi-user.target.wants/systemd-networkd.service")));
            assertTrue(Files.exists(g.root.resolve("lib/systemd/system/systemd-networkd.service")), "the guest has networkd");
            assertFalse(g.read("etc/network/interfaces").contains("192.0.2.20"));
        }
    }

    @Test
    void authorizedKeysAndAGeneratedPasswordInARootOnlyFile() throws Exception {
        Path key = tmp.resolve("id_test");
        assertEquals(0, new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tester@example", "-f", key.toString())
                .inheritIO().start().waitFor());
        Path pwFile = tmp.resolve("secrets/ak1.pw");
        Jxen.Result r = jxen.create("ak1", "--authorized-keys", key + ".pub", "--password-file", pwFile.toString());
        assertEquals(0, r.exit(), r.all());
        assertFalse(r.out().contains("Root Password"), "the password was shown although --password-file was given: " + r.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pwFile)));
        String password = Files.readString(pwFile).strip();
        assertEquals(20, password.length());
        try (GuestImage g = GuestImage.mount(jxen.image("ak1", "disk"), tmp.resolve("mnt-ak"))) {
            assertEquals(Files.readString(Path.of(key + ".pub")), g.read("root/.ssh/authorized_keys"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(g.root.resolve("root/.ssh/authorized_keys"))));
            String hash = g.read("etc/shadow").lines().filter(l -> l.startsWith("root:")).findFirst().orElseThrow().split(":")[1];
            assertEquals(hash, ShaCrypt.hash(password, "sha512", hash.split("\\$")[2]));
        }
        assertFalse(Files.readString(jxen.log("ak1")).contains(password));
    }

    @Test
    void aDom0KernelGetsItsModulesAndATypedPygrubBeatsAConfiguredKernel() throws Exception {
        Path kernel = Files.writeString(Files.createDirectories(tmp.resolve("boot")).resolve("vmlinuz-9.9.9-jxen"), "not a kernel, never booted here");
        Path modules = Files.createDirectories(tmp.resolve("mods/9.9.9-jxen/kernel/drivers"));
        Files.writeString(modules.resolve("xen-blkfront.ko"), "module");
        Jxen.Result r = jxen.create("km1", "--nopygrub", "--kernel", kernel.toString(), "--modules", modules.getParent().getParent().toString());
        assertEquals(0, r.exit(), r.all());
        try (GuestImage g = GuestImage.mount(jxen.image("km1", "disk"), tmp.resolve("mnt-km"))) {
            assertEquals("module", g.read("lib/modules/9.9.9-jxen/kernel/drivers/xen-blkfront.ko"), "--modules was copied into the guest");
        }
        assertEquals(kernel.toString(), dev.jxen.xen.DomUConfigFile.read(jxen.cfg("km1")).values().get("kernel"));

        Path conf = Files.writeString(tmp.resolve("kernel.conf"), "kernel = " + kernel + "\n");
        Jxen.Result typed = jxen.create("km2", "--config", conf.toString(), "--pygrub");
        assertEquals(0, typed.exit(), typed.all());
        String cfg = Files.readString(jxen.cfg("km2"));
        assertTrue(cfg.contains("bootloader") && !cfg.contains("vmlinuz-9.9.9"), "--pygrub typed wins over a configured kernel: " + cfg);
    }
}
