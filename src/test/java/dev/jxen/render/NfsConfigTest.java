package dev.jxen.render;

import dev.jxen.cli.InProcess;
import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLoader;
import dev.jxen.config.ConfigSources;
import dev.jxen.config.NfsSpec;
import dev.jxen.config.NfsSpecBuilder;
import dev.jxen.error.HostStateException;
import dev.jxen.error.InvalidInputException;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.xen.XlDomains;
import dev.jxen.xen.DomUConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jxen-create-nfs against what xen-create-nfs 4.9.2 wrote for the same options (the commands are in
 * src/test/resources/xen-tools-4.9.2/templates/xen-create-nfs/commands): key by key, where jxen writes
 * the same and where it deliberately writes what xl reads instead; and xen-tools' own xm-nfs.tmpl
 * filled by jxen, which gives xen-create-nfs's .cfg but for the memory in MiB.
 */
class NfsConfigTest {
    @TempDir
    Path tmp;

    /** The options of each recorded run, by xen-create-nfs's names; T is this test's temporary directory (/tmp/xtn there). */
    static Map<String, String> options(String host) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hostname", host);
        m.put("kernel", "T/boot/vmlinuz-test");
        m.put("initrd", "T/boot/initrd.img-test");
        if (host.equals("xt-nfs-dhcp")) {
            m.put("nfs_server", "192.168.1.2");
            m.put("nfs_root", "/srv/nfs/xt-nfs-dhcp");
            m.put("dhcp", "1");
            m.put("memory", "256M");
        } else {
            m.put("nfs_server", "nfs.example.org");
            m.put("nfs_root", "/srv/nfs/xt-nfs-static");
            m.put("ip", "192.168.1.60");
            m.put("netmask", "255.255.255.0");
            m.put("gateway", "192.168.1.1");
            m.put("broadcast", "192.168.1.255");
            m.put("mac", "00:16:3E:00:00:01");
            m.put("memory", "512Mb");
        }
        return m;
    }

    private NfsSpec spec(Map<String, String> given) throws Exception {
        Files.createDirectories(tmp.resolve("boot"));
        Files.writeString(tmp.resolve("boot/vmlinuz-test"), "kernel");
        Files.writeString(tmp.resolve("boot/initrd.img-test"), "initrd");
        Files.createDirectories(tmp.resolve("out"));
        Map<String, String> g = new LinkedHashMap<>();
        given.forEach((k, v) -> g.put(k, v.replace("T/", tmp + "/")));
        g.putIfAbsent("output", tmp.resolve("out").toString());
        ConfigSources sources = sources();
        return new NfsSpecBuilder(g, ConfigLoader.load(sources, new CommandLineLayer().build()), sources,
                name -> name.equals("nfs.example.org") ? Optional.of("192.0.2.7") : Optional.empty()).build();
    }

    private ConfigSources sources() throws Exception {
        return new ConfigSources(InProcess.scratchConfigDir(tmp.resolve("c" + System.nanoTime())), InProcess.home());
    }

    private String xenTools(String host) throws Exception {
        return Files.readString(XenToolsTemplateTest.fixture("xen-create-nfs/" + host + ".cfg")).replace("/tmp/xtn/", tmp + "/");
    }

    /** Every key xen-create-nfs writes, and where jxen puts what it meant; a key not listed here fails the test. */
    @ParameterizedTest
    @ValueSource(strings = {"xt-nfs-dhcp", "xt-nfs-static"})
    void keyByKeyAgainstXenCreateNfs(String host) throws Exception {
        NfsSpec spec = spec(options(host));
        DomUConfigFile theirs = DomUConfigFile.parse(Path.of(host + ".cfg"), xenTools(host));
        DomUConfigFile ours = DomUConfigFile.parse(Path.of(host + ".cfg"), NfsConfig.render(spec, sources(), new LocalCommandRunner()).text());
        Map<String, String> t = theirs.values();
        Map<String, String> o = ours.values();
        String extra = o.get("extra");
        for (String key : theirs.settings().keySet()) {
            switch (key) {
                // the same
                case "name", "kernel", "ramdisk" -> assertEquals(t.get(key), o.get(key), key);
                // xen-create-nfs writes the memory as given ('256M', which xl refuses); jxen in MiB, the number xl reads
                case "memory" -> assertEquals(t.get(key).replaceAll("(?i)m$", ""), o.get(key), key);
                // xm's NFS keys: xl has none; the kernel reads root= and nfsroot= from extra
                case "root" -> assertTrue(extra.startsWith("root=" + t.get(key) + " "), extra);
                case "nfs_server" -> assertTrue(extra.contains(" nfsroot=" + (t.get(key).equals("nfs.example.org") ? "192.0.2.7" : t.get(key))
                        + ":" + t.get("nfs_root") + ",vers=3 "), extra);
                case "nfs_root" -> assertTrue(extra.contains(":" + t.get(key) + ",vers=3"), extra);
                // xm's network keys: the kernel's ip= in extra (client::gateway:netmask:hostname:device:autoconf)
                case "dhcp" -> assertTrue(extra.contains(" ip=dhcp "), extra);
                case "ip", "netmask", "gateway", "hostname" -> assertTrue(t.containsKey("dhcp") && key.equals("hostname")
                        || extra.contains(" ip=" + t.get("ip") + "::" + t.get("gateway") + ":" + t.get("netmask") + ":" + t.get("hostname") + ":eth0:off "),
                        key + ": " + extra);
                // the kernel's ip= has no broadcast: it follows from the netmask (and jxen warns that --broadcast is not written)
                case "broadcast" -> assertFalse(ours.settings().containsKey("broadcast") || extra.contains(t.get(key)), extra);
                // the vif: the MAC as given; xen-create-nfs's ip= in the vif is for xm's vif-route, which this guest does not use
                case "vif" -> assertEquals(theirs.vifs().get(0).replaceAll("ip=[^,]*,?", ""), ours.vifs().get(0), key);
                default -> throw new AssertionError("xen-create-nfs writes " + key + ", which this test does not place");
            }
        }
        // what jxen adds: the type xl boots, and rw (the kernel mounts an NFS root read-only without it)
        assertEquals("pv", o.get("type"));
        assertTrue(extra.contains(" rw "), extra);
        assertTrue(Set.of("name", "memory", "type", "kernel", "ramdisk", "extra", "vif", "on_poweroff", "on_reboot", "on_crash")
                .containsAll(ours.settings().keySet()), ours.settings().keySet().toString());
    }

    /** xen-tools' own xm-nfs.tmpl through jxen: xen-create-nfs's .cfg, but for the date and the memory in MiB. */
    @ParameterizedTest
    @ValueSource(strings = {"xt-nfs-dhcp", "xt-nfs-static"})
    void xmNfsTmplGivesXenCreateNfsCfg(String host) throws Exception {
        XenToolsTemplateTest.needTextTemplate();
        Map<String, String> given = options(host);
        given.put("template", XenToolsTemplateTest.fixture("xm-nfs.tmpl").toString());
        NfsConfig.Rendered r = NfsConfig.render(spec(given), sources(), new LocalCommandRunner());
        String expected = XenToolsTemplateTest.withoutDate(xenTools(host)).replace("memory  = '256M'", "memory  = '256'");
        assertEquals(expected, XenToolsTemplateTest.withoutDate(r.text()));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("puts no nfsroot=")), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("writes nfs_server, which xm read and xl does not")), r.warnings().toString());
    }

    @Test
    void anExistingCfgIsReplacedOnlyWithForce() throws Exception {
        NfsSpec spec = spec(options("xt-nfs-dhcp"));
        Files.writeString(spec.cfg(), "old\n");
        String text = NfsConfig.render(spec, sources(), new LocalCommandRunner()).text();
        assertThrows(HostStateException.class, () -> NfsConfig.write(spec, text));
        assertEquals("old\n", Files.readString(spec.cfg()));
        Map<String, String> forced = options("xt-nfs-dhcp");
        forced.put("force", "1");
        NfsConfig.write(spec(forced), text);
        assertEquals(text, Files.readString(spec.cfg()));
        try (var files = Files.list(spec.cfg().getParent())) {
            assertEquals(List.of(spec.cfg()), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void forceReplacesOnlyAStoppedNfsGuestsCfg() throws Exception {
        Map<String, String> forced = options("xt-nfs-dhcp");
        forced.put("force", "1");
        NfsSpec spec = spec(forced);
        String name = spec.hostname().fqdn();
        XlDomains stopped = new XlDomains(Optional.of(Set.of("other")), "xl list");
        Files.writeString(spec.cfg(), "name = \"" + name + "\"\nkernel = \"/boot/vmlinuz\"\nextra = \"root=/dev/nfs\"\n");
        NfsConfig.checkReplaceable(spec, stopped);
        var e = assertThrows(HostStateException.class, () -> NfsConfig.checkReplaceable(spec, new XlDomains(Optional.of(Set.of(name)), "xl list")));
        assertTrue(e.getMessage().contains("is running"), e.getMessage());
        e = assertThrows(HostStateException.class, () -> NfsConfig.checkReplaceable(spec, new XlDomains(Optional.empty(), "xl failed")));
        assertTrue(e.getMessage().contains("cannot tell whether"), e.getMessage());
        Files.writeString(spec.cfg(), "name = \"" + name + "\"\ndisk = [ 'format=raw, vdev=xvda2, access=rw, target=/srv/xen/domains/" + name
                + "/disk.img' ]\n");
        e = assertThrows(HostStateException.class, () -> NfsConfig.checkReplaceable(spec, stopped));
        assertTrue(e.getMessage().contains("a guest with disks (/srv/xen/domains/" + name + "/disk.img)"), e.getMessage());
    }

    @Test
    void aKernelCommandLineXenWouldCutIsRefused() throws Exception {
        Map<String, String> long_ = options("xt-nfs-dhcp");
        long_.put("nfs_root", "/srv/" + "n".repeat(1000));
        var e = assertThrows(dev.jxen.error.InvalidInputException.class, () -> NfsConfig.render(spec(long_), sources(), new LocalCommandRunner()));
        assertTrue(e.getMessage().contains("Xen passes a PV guest 1023 at most"), e.getMessage());
    }

    @Test
    void badValuesAreRefusedByName() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>(Map.of("hostname", "n1", "nfs_server", "no.such.invalid", "nfs_root", "/srv/a:b",
                "ip", "10.0.0.5/24", "netmask", "255.0.255.0", "gateway", "10.0.0.1", "kernel", "T/boot/vmlinuz-test", "admins", "bob",
                "nfs-version", "5"));
        var e = assertThrows(InvalidInputException.class, () -> spec(bad));
        for (String expected : List.of("--nfs_server no.such.invalid: does not resolve", "--nfs_root /srv/a:b: must be an absolute path",
                "--ip 10.0.0.5/24: not an IPv4 address", "--netmask 255.0.255.0", "--admins: xen-create-nfs makes dom0 accounts",
                "--nfs-version 5")) {
            assertTrue(e.getMessage().contains(expected), expected + " in " + e.getMessage());
        }
        var both = assertThrows(InvalidInputException.class, () -> spec(Map.of("hostname", "n1", "nfs_server", "10.0.0.2",
                "nfs_root", "/srv/n1", "dhcp", "1", "ip", "10.0.0.5", "kernel", "T/boot/vmlinuz-test")));
        assertTrue(both.getMessage().contains("--ip with --dhcp"), both.getMessage());
    }

    @Test
    void aStaticGuestsNameServersAreDns0AndDns1() throws Exception {
        Map<String, String> given = options("xt-nfs-static");
        given.put("nameserver", "192.0.2.53 192.0.2.54");
        given.put("bridge", "xenbr0");
        String extra = DomUConfigFile.parse(Path.of("n.cfg"), NfsConfig.render(spec(given), sources(), new LocalCommandRunner()).text())
                .values().get("extra");
        assertTrue(extra.contains(":xt-nfs-static:eth0:off:192.0.2.53:192.0.2.54 "), extra);
    }
}
