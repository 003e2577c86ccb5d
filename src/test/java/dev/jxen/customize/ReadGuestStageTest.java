package dev.jxen.customize;

import dev.jxen.config.PartitionSpec;
import dev.jxen.config.Size;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.storage.GuestDisk;
import dev.jxen.storage.GuestDisks;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An update tells hooks what the guest itself says, and nothing a hostile guest wrote gets through unchecked. */
class ReadGuestStageTest {
    @TempDir
    Path tmp;

    private record Given<T>(String name, T value) implements Stage<T> {
        public List<PlannedAction> plan(Plans plans) {
            return List.of();
        }

        public T run(StageContext ctx) {
            return value;
        }
    }

    private Path guest() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc/network"));
        Files.createDirectories(root.resolve("etc/apt"));
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        return root;
    }

    private GuestFacts read(Path root, String cfgText, String dist) throws Exception {
        Path cfg = tmp.resolve("web1.cfg");
        Files.writeString(cfg, cfgText);
        GuestDisks disks = new GuestDisks(List.of(new GuestDisk(new PartitionSpec("disk", Size.parse("4G", false), "ext4", "/", "defaults"),
                "/dev/vg0/web1-disk", false, "xvda2")));
        Pipeline.Builder p = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = p.add(new Given<>("mount", new MountedRoot(root, List.of())));
        StageResult<GuestDisks> d = p.add(new Given<>("disks", disks));
        StageResult<GuestFacts> facts = p.add(new ReadGuestStage("web1", cfg, dist, "amd64", Map.of("size", "4G"), mounted, d));
        return p.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack()).get(facts);
    }

    @Test
    void aStaticGuestIsToldItsOwnReleaseAddressesAndMirror() throws Exception {
        Path root = guest();
        Files.writeString(root.resolve("etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_CODENAME=bookworm\n");
        Files.writeString(root.resolve("etc/network/interfaces"), """
                auto lo
                iface lo inet loopback
                auto eth0
                iface eth0 inet static
                    address 192.0.2.10/24
                    gateway 192.0.2.1
                """);
        Files.writeString(root.resolve("etc/resolv.conf"), "nameserver 192.0.2.53\n");
        Files.writeString(root.resolve("etc/apt/sources.list"), "deb http://deb.example/debian bookworm main\n");
        Files.writeString(root.resolve("var/lib/dpkg/arch"), "arm64\n");
        GuestFacts g = read(root, "name = \"web1\"\nvif = [ 'mac=00:16:3e:00:00:01,ip=192.0.2.10' ]\nbootloader = \"pygrub\"\n", null);
        assertEquals("bookworm", g.release().dist());
        assertEquals("debian", g.release().family());
        assertEquals("arm64", g.release().arch());
        assertFalse(g.network().dhcp());
        assertEquals(List.of("192.0.2.10"), g.network().ips());
        assertEquals("192.0.2.1", g.network().gateway());
        assertEquals(List.of("192.0.2.53"), g.network().nameservers());
        assertEquals("http://deb.example/debian", g.mirror());
        assertEquals("00:16:3e:00:00:01", g.network().mac());
        assertTrue(g.pygrub());
        assertEquals(List.of("disk:ext4:/:defaults:xvda2"), g.partitions());
        Map<String, String> env = HookEnvironment.of(g, Path.of("/usr/share/jxen/hooks/lib/in-guest.sh"));
        assertEquals("192.0.2.10", env.get("ip1"));
        assertEquals("1", env.get("ip_count"));
        assertEquals("", env.get("dhcp"));
        assertEquals("bookworm", env.get("dist"));
        assertEquals("4G", env.get("size"));
    }

    @Test
    void distGivenWinsAndDhcpComesFromTheGuest() throws Exception {
        Path root = guest();
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_CODENAME=bookworm\n");
        Files.writeString(root.resolve("etc/network/interfaces"), "iface eth0 inet dhcp\n");
        GuestFacts g = read(root, "name = \"web1\"\nkernel = \"/boot/vmlinuz-6.1.0-9-amd64\"\n", "trixie");
        assertEquals("trixie", g.release().dist());
        assertEquals("/boot/vmlinuz-6.1.0-9-amd64", g.settings().get("kernel"), "the kernel its .cfg boots");
        assertFalse(g.pygrub());
        assertTrue(g.network().dhcp());
        assertEquals(List.of(), g.network().ips());
        assertNull(g.mirror());
        assertEquals("amd64", g.release().arch(), "a guest that names no architecture is taken to be the dom0's");
    }

    @Test
    void hostileGuestFilesAreRefusedOrIgnored() throws Exception {
        Path root = guest();
        Files.writeString(root.resolve("etc/os-release"), "VERSION_CODENAME=\"bookworm; rm -rf /\"\n");
        Files.writeString(root.resolve("etc/network/interfaces"), "iface eth0 inet static\n address $(reboot)\n");
        StageFailedException e = assertThrows(StageFailedException.class, () -> read(root, "name = \"web1\"\n", null));
        assertTrue(e.getMessage().contains("cannot tell the guest's release"), e.getMessage());

        Files.writeString(root.resolve("etc/os-release"), "VERSION_CODENAME=bookworm\n");
        Files.delete(root.resolve("etc/network/interfaces"));
        Files.createSymbolicLink(root.resolve("etc/network/interfaces"), Path.of("/etc/shadow"));
        Files.writeString(root.resolve("etc/apt/sources.list"), "deb http://x/debian\";reboot;\" bookworm main\n");
        GuestFacts g = read(root, "name = \"web1\"\n", null);
        assertTrue(g.network().dhcp(), "a link out of the guest is not followed; with no address the guest is taken to use DHCP");
        assertNull(g.mirror(), "a mirror URI with shell characters is not passed on");
    }
}
