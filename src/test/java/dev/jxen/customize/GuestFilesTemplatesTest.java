package dev.jxen.customize;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.render.DomUConfigStage;
import dev.jxen.render.GuestModel;
import dev.jxen.render.Templates;
import dev.jxen.xen.DomUConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuestFilesTemplatesTest {
    @TempDir
    Path tmp;

    @Test
    void staticAddressesWithAnAliasAndIpv6() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=web1.example.org", "dir=/srv/xen", "ip=192.0.2.10",
                "netmask=255.255.255.0", "gateway=192.0.2.1");
        ConfigSources sources = TestSpecs.sources(tmp);
        String ifaces = new Templates(sources.templateDirs()).render("network/interfaces.ftl", GuestModel.of(spec));
        assertTrue(ifaces.contains("auto enX0\niface enX0 inet static\n    address 192.0.2.10/24\n    gateway 192.0.2.1"), ifaces);
        String hosts = new Templates(sources.templateDirs()).render("hosts.ftl", GuestModel.of(spec));
        assertTrue(hosts.contains("192.0.2.10    web1.example.org web1"), hosts);
    }

    @Test
    void dhcpOnAnOlderReleaseUsesEth0() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=old", "dir=/srv/xen", "dist=bullseye", "dhcp");
        String ifaces = new Templates(TestSpecs.sources(tmp).templateDirs()).render("network/interfaces.ftl", GuestModel.of(spec));
        assertTrue(ifaces.contains("iface eth0 inet dhcp"), ifaces);
    }

    private static DomUConfigFile parsed(String cfg) throws Exception {
        return DomUConfigFile.parse(Path.of("t.cfg"), cfg);
    }

    @Test
    void theCfgDeclaresEveryDiskTheVifAndTheBootMethod() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=t1", "lvm=vg0", "memory=512M", "vcpus=2", "bridge=xenbr0",
                "ip=192.0.2.10", "netmask=255.255.255.0");
        DomUConfigFile cfg = parsed(DomUConfigStage.render(TestSpecs.sources(tmp), spec));
        assertEquals("t1", cfg.values().get("name"));
        assertEquals("512", cfg.values().get("memory"));
        assertEquals("2", cfg.values().get("vcpus"));
        assertEquals(List.of("format=raw, vdev=xvda2, access=rw, target=/dev/vg0/t1-disk",
                "format=raw, vdev=xvda1, access=rw, target=/dev/vg0/t1-swap"), cfg.disks(), "the root disk first, for pygrub");
        assertEquals("pygrub", cfg.values().get("bootloader"));
        assertEquals(List.of("mac=" + spec.network().mac() + ", bridge=xenbr0, ip=192.0.2.10"), cfg.vifs());
        assertFalse(cfg.settings().containsKey("dhcp"), "no xm-era keys");
    }

    @Test
    void aDom0KernelBootsWithRootAndConsole() throws Exception {
        Path kernel = Files.writeString(tmp.resolve("vmlinuz"), "x");
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=t1", "dir=/srv/xen", "pygrub=0", "kernel=" + kernel);
        DomUConfigFile cfg = parsed(DomUConfigStage.render(TestSpecs.sources(tmp), spec));
        assertEquals(kernel.toString(), cfg.values().get("kernel"));
        assertEquals("/dev/xvda2 ro", cfg.values().get("root"));
        assertEquals("/srv/xen/domains/t1/disk.img", cfg.diskTargets().get(0));
        assertFalse(cfg.settings().containsKey("bootloader"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "network-mode=bridge,bridge=xenbr0           | , bridge=xenbr0, ip=192.0.2.10",
        "network-mode=route                          | , script=vif-route, ip=192.0.2.10",
        "network-mode=nat                            | , script=vif-nat, ip=192.0.2.10",
        "bridge=ovsbr0,vlan=42,vifname=vif-web1      | , bridge=ovsbr0.42, script=vif-openvswitch, vifname=vif-web1, ip=192.0.2.10",
    })
    void theNetworkModesRenderTheirVifLines(String settings, String expected) throws Exception {
        ImageSpec spec = specWith(settings, "hostname=web1", "dir=/srv/xen", "ip=192.0.2.10");
        DomUConfigFile cfg = parsed(DomUConfigStage.render(TestSpecs.sources(tmp), spec));
        assertEquals(List.of("mac=" + spec.network().mac() + expected.strip()), cfg.vifs());
    }

    @Test
    void aRoutedVifWithoutAnAddressIsRefused() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.jxen.error.InvalidInputException.class,
                () -> TestSpecs.spec(tmp, "hostname=web1", "dir=/srv/xen", "dhcp", "network-mode=route"));
        assertTrue(e.getMessage().contains("a routed vif needs a static address"), e.getMessage());
    }

    @Test
    void networkdMatchesTheMacAndCarriesAddressesGatewayAndDns() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=n1", "dir=/srv/xen", "ip=192.0.2.10/24", "ip=2001:db8::10/64",
                "gateway=192.0.2.1", "nameserver=192.0.2.53", "network-config=networkd");
        String net = new Templates(TestSpecs.sources(tmp).templateDirs()).render("network/systemd-networkd.ftl", GuestModel.of(spec));
        assertTrue(net.contains("[Match]\nMACAddress=" + spec.network().mac().text().toLowerCase() + "\n"), net);
        assertTrue(net.contains("Address=192.0.2.10/24\nAddress=2001:db8::10/64\nGateway=192.0.2.1\nDNS=192.0.2.53"), net);
    }

    @Test
    void aPointToPointPeerIsWrittenAsIfupdownsPointopoint() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=r1", "dir=/srv/xen", "ip=192.0.2.10", "netmask=255.255.255.255",
                "gateway=198.51.100.1", "p2p=198.51.100.1", "network-mode=route");
        String ifaces = new Templates(TestSpecs.sources(tmp).templateDirs()).render("network/interfaces.ftl", GuestModel.of(spec));
        assertTrue(ifaces.contains("iface enX0 inet static\n    address 192.0.2.10/32\n    gateway 198.51.100.1\n    pointopoint 198.51.100.1\n"), ifaces);
    }

    @Test
    void aPointToPointPeerIsNetworkdsPeerOfTheFirstIpv4Address() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=r1", "dir=/srv/xen", "ip=192.0.2.10/32", "ip=192.0.2.11/32", "ip=2001:db8::10/64",
                "gateway=198.51.100.1", "p2p=198.51.100.1", "network-config=networkd");
        String net = new Templates(TestSpecs.sources(tmp).templateDirs()).render("network/systemd-networkd.ftl", GuestModel.of(spec));
        assertTrue(net.contains("[Network]\nAddress=192.0.2.11/32\nAddress=2001:db8::10/64\n\n"), net);
        assertTrue(net.contains("[Address]\nAddress=192.0.2.10/32\nPeer=198.51.100.1/32\n"), net);
        assertTrue(net.endsWith("[Route]\nGateway=198.51.100.1\nGatewayOnLink=yes\n"), "the gateway on the link, as ifupdown's onlink route: " + net);
        assertEquals(1, net.split("192\\.0\\.2\\.10/").length - 1, "the peered address is declared once: " + net);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "dhcp,p2p=198.51.100.1                  | a point-to-point peer goes with a static IPv4 address",
        "ip=2001:db8::10,p2p=198.51.100.1       | this guest has none",
        "ip=192.0.2.10,p2p=2001:db8::1          | must be a single IPv4 address",
        "ip=192.0.2.10,p2p=198.51.100.0/24      | must be a single IPv4 address",
        "ip=192.0.2.10,p2p=192.0.2.10           | is the guest's own address",
        "ip=192.0.2.10,p2p=224.0.0.1            | not a peer's address",
    })
    void aPeerThatCannotBeIsRefusedByName(String settings, String why) {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.jxen.error.InvalidInputException.class,
                () -> specWith(settings, "hostname=r1", "dir=/srv/xen"));
        assertTrue(e.getMessage().contains("p2p") && e.getMessage().contains(why.strip()), e.getMessage());
    }

    @Test
    void aGatewayOutsideAHostRouteIsRefusedUnlessItIsThePeer() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.jxen.error.InvalidInputException.class,
                () -> TestSpecs.spec(tmp, "hostname=r1", "dir=/srv/xen", "ip=192.0.2.10/32", "gateway=198.51.100.1"));
        assertTrue(e.getMessage().contains("is not in the guest's network"), e.getMessage());
    }

    /** A spec of the {@code base} settings and the comma-separated {@code settings} of a table row. */
    private ImageSpec specWith(String settings, String... base) throws Exception {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(base));
        all.addAll(java.util.List.of(settings.strip().split(",")));
        return TestSpecs.spec(tmp, all.toArray(new String[0]));
    }
}
