package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guest's own fstab, hosts, network configuration and resolv.conf, written from the spec into its tree. */
class GuestFilesStageTest {
    @TempDir
    Path tmp;
    Path root;
    Path dom0Hosts;
    RecordingCommandRunner runner;

    @BeforeEach
    void guest() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc/network"));
        dom0Hosts = tmp.resolve("dom0-hosts");
        Files.writeString(dom0Hosts, "127.0.0.1\tlocalhost\n127.0.1.1\tdom0.example.org dom0\n::1 localhost ip6-localhost\n"
                + "ff02::1 ip6-allnodes\n# the database\n192.0.2.99\tdb1.example.org db1\n\n");
        runner = new RecordingCommandRunner();
    }

    private void run(ImageSpec spec) throws Exception {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        b.add(new GuestFilesStage(spec, TestSpecs.sources(tmp), mounted, dom0Hosts));
        b.build().run(runner, new EventHandlers(new Redactor()), new UndoStack());
    }

    private String read(String guestPath) throws Exception {
        return Files.readString(root.resolve(guestPath));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aStaticGuestGetsItsFstabHostsInterfacesAndNameservers() throws Exception {
        run(TestSpecs.spec(tmp, "hostname=web1.example.org", "dir=" + tmp.resolve("store"), "ip=192.0.2.10", "netmask=255.255.255.0",
                "gateway=192.0.2.1", "nameserver=192.0.2.53 192.0.2.54"));

        String fstab = read("etc/fstab");
        assertTrue(fstab.lines().anyMatch(l -> l.matches("/dev/xvda2\\s+/\\s+ext4\\s+\\S+\\s+0\\s+1")), fstab);
        assertTrue(fstab.lines().anyMatch(l -> l.matches("/dev/xvda1\\s+none\\s+swap\\s+sw\\s+0\\s+0")), fstab);
        String hosts = read("etc/hosts");
        assertTrue(hosts.contains("\n192.0.2.10    web1.example.org web1\n"), hosts);
        assertFalse(hosts.contains("db1"), "no --copyhosts, yet the dom0's entries were copied: " + hosts);
        String ifaces = read("etc/network/interfaces");
        assertTrue(ifaces.contains("iface lo inet loopback"), ifaces);
        assertTrue(ifaces.contains("iface enX0 inet static\n    address 192.0.2.10/24\n    gateway 192.0.2.1\n"), ifaces);
        assertEquals("nameserver 192.0.2.53\nnameserver 192.0.2.54\n", read("etc/resolv.conf"));
        for (String f : List.of("etc/fstab", "etc/hosts", "etc/network/interfaces", "etc/resolv.conf")) {
            assertEquals("rw-r--r--", mode(root.resolve(f)), f);
        }
        assertFalse(Files.exists(root.resolve(GuestFilesStage.NETWORKD_FILE)), "networkd configured with --network-config ifupdown");
        assertTrue(runner.commands().isEmpty(), runner.lines().toString());
    }

    @Test
    void linksInTheGuestAreReplacedNotFollowed() throws Exception {
        Path dom0File = Files.writeString(tmp.resolve("dom0-secret"), "do not touch\n");
        Files.createSymbolicLink(root.resolve("etc/hosts"), dom0File);
        Files.createSymbolicLink(root.resolve("etc/resolv.conf"), Path.of("../run/systemd/resolve/stub-resolv.conf"));
        run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "ip=192.0.2.10", "nameserver=192.0.2.53"));
        assertEquals("do not touch\n", Files.readString(dom0File));
        assertFalse(Files.isSymbolicLink(root.resolve("etc/hosts")));
        assertTrue(read("etc/hosts").contains("192.0.2.10"));
        assertFalse(Files.isSymbolicLink(root.resolve("etc/resolv.conf")), "resolv.conf is to be a file of the guest's own");
        assertEquals("nameserver 192.0.2.53\n", read("etc/resolv.conf"));
        assertFalse(Files.exists(root.resolve("run/systemd/resolve/stub-resolv.conf")));
    }

    @Test
    void networkdIsConfiguredByMacEnabledAndIfupdownKeepsOnlyTheLoopback() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=n1", "dir=" + tmp.resolve("store"), "dhcp", "network-config=networkd");
        run(spec);
        String net = read(GuestFilesStage.NETWORKD_FILE);
        assertTrue(net.contains("[Match]\nMACAddress=" + spec.network().mac().text().toLowerCase() + "\n"), net);
        assertTrue(net.contains("DHCP=yes"), net);
        Path unit = root.resolve("etc/systemd/system/multi-user.target.wants/systemd-networkd.service");
        assertTrue(Files.isSymbolicLink(unit));
        assertEquals(Path.of("/lib/systemd/system/systemd-networkd.service"), Files.readSymbolicLink(unit));
        String ifaces = read("etc/network/interfaces");
        assertTrue(ifaces.contains("auto lo\niface lo inet loopback\n"), ifaces);
        assertFalse(ifaces.contains("enX0") || ifaces.contains("eth0") || ifaces.contains("dhcp"), ifaces);
        assertTrue(read("etc/hosts").contains("127.0.1.1       n1"), read("etc/hosts"));
        Files.delete(unit); // a link out of the temporary directory, which JUnit would warn about
    }

    @Test
    void copyhostsAddsTheDom0sOwnEntriesButNotItsLocalhostLines() throws Exception {
        run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "ip=192.0.2.10", "copyhosts", "nameserver=192.0.2.53"));
        String hosts = read("etc/hosts");
        assertTrue(hosts.contains("# copied from the dom0's hosts file (--copyhosts)\n"), hosts);
        String copied = hosts.substring(hosts.indexOf("(--copyhosts)"));
        assertTrue(copied.contains("192.0.2.99\tdb1.example.org db1\n"), copied);
        assertFalse(copied.contains("localhost") || copied.contains("dom0") || copied.contains("ff02::1") || copied.contains("# the database"),
                "loopback, multicast and comment lines are not copied: " + copied);
        assertTrue(hosts.indexOf("192.0.2.10") < hosts.indexOf("db1"), "the guest's own entry first");
    }

    @Test
    void withoutNameserversTheGuestGetsTheDom0sResolvConf() throws Exception {
        run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "dhcp"));
        Path dom0 = Path.of("/etc/resolv.conf");
        assertEquals(Files.isReadable(dom0) ? Files.readString(dom0) : "", read("etc/resolv.conf"));
        assertTrue(read("etc/network/interfaces").contains("inet dhcp"), read("etc/network/interfaces"));
    }
}
