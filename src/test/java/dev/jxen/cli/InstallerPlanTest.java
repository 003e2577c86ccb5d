package dev.jxen.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --install-method installer --dry-run: the fetch and its checks, the preseed, the install-time
 * .cfg and the guest's .cfg, in the order they run, with one disk for the installer to partition.
 */
class InstallerPlanTest {
    @TempDir
    Path tmp;

    private InProcess.Result dryRun(String... more) throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        List<String> args = new ArrayList<>(List.of("--hostname=inst1.example.org", "--dist=bookworm", "--mirror=http://mirror.example/debian",
                "--output=" + tmp.resolve("out"), "--install-method=installer", "--pygrub", "--type=pv",
                "--base-cache-dir=" + tmp.resolve("cache/base"), "--dry-run"));
        args.addAll(List.of(more));
        return InProcess.create(config, args.toArray(new String[0]));
    }

    @Test
    void showsTheChainThePreseedAndBothCfgFiles() throws Exception {
        Path store = tmp.resolve("store");
        InProcess.Result r = dryRun("--dir=" + store, "--size=4G", "--swap=512M", "--memory=256M",
                "--ip=192.0.2.50", "--netmask=255.255.255.0", "--gateway=192.0.2.1", "--nameserver=192.0.2.53");
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        List<String> stages = List.of("] mirror", "] installer images", "] root password", "] identity", "] preseed", "] storage", "] installer run", "] domU config");
        int at = -1;
        for (String s : stages) {
            int i = out.indexOf(s);
            assertTrue(i > at, s + " after the stage before it:\n" + out);
            at = i;
        }
        assertFalse(out.contains("] base install") || out.contains("mkfs") || out.contains("] hooks"), out);
        assertTrue(out.contains("http://mirror.example/debian/dists/bookworm/InRelease; check its signature with gpgv against"), out);
        assertTrue(out.contains("main/installer-amd64/current/images/SHA256SUMS; check its SHA-256 and size against InRelease"), out);
        assertTrue(out.contains("check each SHA-256 against SHA256SUMS"), out);
        assertTrue(out.contains("debian-installer-NN-netboot-amd64 against Packages.gz"), out);
        assertTrue(out.contains("create  /var/cache/jxen/installer  (the verified kernel and initrd, named by their SHA-256"), out);
        // the preseed, from the spec
        assertTrue(out.contains("| d-i netcfg/get_ipaddress string 192.0.2.50"), out);
        assertTrue(out.contains("| d-i netcfg/get_gateway string 192.0.2.1"), out);
        assertTrue(out.contains("| d-i netcfg/get_nameservers string 192.0.2.53"), out);
        assertTrue(out.contains("| d-i netcfg/get_hostname string inst1"), out);
        assertTrue(out.contains("| d-i mirror/http/hostname string mirror.example"), out);
        assertTrue(out.contains("| d-i partman-auto/disk string /dev/xvda"), out);
        assertTrue(out.contains("512 512 512 linux-swap"), out);
        assertTrue(out.contains("4096 4096 -1 ext4 $primary{ } $bootable{ }"), out);
        assertTrue(out.contains("| d-i passwd/root-password-crypted password (the root password's hash)"), out);
        assertTrue(out.contains("| d-i preseed/late_command string cp /jxen/ssh_host_* /target/etc/ssh/;"), "the host keys jxen made replace the installer's:\n" + out);
        // one disk of the layout's size and a little for the partition table
        String disk = store + "/domains/inst1.example.org/disk.img";
        assertTrue(out.contains(disk + "  (4612M sparse image, partitioned, guest disk xvda)"), out);
        // the install-time .cfg: the installer's kernel and initrd, 1 GiB, ended by its reboot
        String install = out.substring(out.indexOf("install.cfg:"), out.indexOf("] storage"));
        assertTrue(install.contains("| memory  = 1024"), install);
        assertTrue(install.contains("| extra   = \"auto=true priority=critical console=hvc0\""), install);
        assertTrue(install.contains("/initrd.gz\""), install);
        assertTrue(install.contains("| on_reboot   = \"destroy\""), install);
        assertTrue(install.contains("target=" + disk + "\""), install);
        assertTrue(install.contains("vdev=xvda,"), install);
        // the guest's own .cfg: its memory, pygrub, restarted on reboot
        String cfg = out.substring(out.indexOf("] domU config"));
        assertTrue(cfg.contains(tmp.resolve("out") + "/inst1.example.org.cfg:"), cfg);
        assertTrue(cfg.contains("| memory  = 256"), cfg);
        assertTrue(cfg.contains("| bootloader = \"pygrub\""), cfg);
        assertTrue(cfg.contains("| on_reboot   = \"restart\""), cfg);
        assertTrue(cfg.contains("vdev=xvda, access=rw, target=" + disk), cfg);
        assertFalse(cfg.contains("installer"), cfg);
        assertFalse(Files.exists(store), "a dry run created the storage directory");
    }

    @Test
    void firstContactChecksTheHostKeysJxenMade() throws Exception {
        InProcess.Result r = dryRun("--dir=" + tmp.resolve("store"), "--ip=192.0.2.51", "--netmask=255.255.255.0",
                "--boot", "--wait-ssh=600", "--known-hosts=" + tmp.resolve("known_hosts"));
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.indexOf("] identity") < out.indexOf("] preseed") && out.indexOf("] known hosts") > out.indexOf("] installer run"), out);
        assertTrue(out.indexOf("] boot") > out.indexOf("] domU config") && out.indexOf("] ssh") > out.indexOf("] boot"), out);
    }

    @Test
    void dhcpAndLvmInJson() throws Exception {
        InProcess.Result r = dryRun("--lvm=vg0", "--size=2G", "--swap=256M", "--dhcp", "--json");
        assertEquals(0, r.exit(), r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) dev.jxen.system.Json.read(r.out().strip());
        assertEquals("installer", doc.get("install_method"));
        String text = r.out();
        assertTrue(text.contains("\"kind\":\"show\""), text);
        assertTrue(text.contains("d-i netcfg/disable_autoconfig boolean false"), text);
        assertFalse(text.contains("get_ipaddress"), text);
        assertTrue(text.contains("lvcreate --yes --wipesignatures y --name inst1.example.org-disk --size 2308m vg0"), text);
        assertTrue(text.contains("target=/dev/vg0/inst1.example.org-disk"), text);
    }
}
