package dev.jxen.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --dry-run prints each stage with its commands and files, and creates nothing. */
class DryRunPlanTest {
    @TempDir
    Path tmp;

    private InProcess.Result dryRun(String... more) throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        String[] base = {"--hostname=web1.example.org", "--dist=bookworm", "--mirror=http://mirror.example/debian",
            "--output=" + tmp.resolve("out"), "--ip=192.0.2.10", "--netmask=255.255.255.0", "--gateway=192.0.2.1", "--dry-run"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return InProcess.create(config, all);
    }

    /** As xen-tools: --install=0 runs no hooks (they customize an installed system; a create's plan lists them, below), and the roles still run. */
    @Test
    void withoutABaseSystemNoHooksRun() throws Exception {
        InProcess.Result r = dryRun("--dir=" + tmp.resolve("store"), "--install=0");
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.out().contains("] hooks"), r.out());
        assertTrue(r.out().contains("] roles") && r.out().contains("] accounts"), r.out());
        assertTrue(r.out().contains("--install=0: new SSH host keys only if the disk already holds /etc/ssh"), r.out());
    }

    /** As xen-tools: --hooks=0 runs none of its hooks, nor jxen's stages that do what xen-tools' own hooks did. */
    @Test
    void hooksOffRunsNoHookNorWhatXenToolsHooksDid() throws Exception {
        InProcess.Result r = dryRun("--dir=" + tmp.resolve("store"), "--hooks=0");
        assertEquals(0, r.exit(), r.err());
        for (String stage : new String[] {"hooks", "console", "dom0 settings", "skel files"}) {
            assertFalse(r.out().contains("] " + stage + "\n"), stage + ": " + r.out());
        }
        assertTrue(r.out().contains("] guest files") && r.out().contains("] roles"), r.out());
    }

    @Test
    void aSizeTypedBesideAPartitionsLayoutIsWarnedAboutByName() throws Exception {
        InProcess.Result r = dryRun("--dir=" + tmp.resolve("store"), "--partitions=sample-server", "--size=8G", "--fs=xfs");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("--size=8G: not used with --partitions") && r.err().contains("--fs=xfs: not used with --partitions"), r.err());
        assertFalse(r.err().contains("--swap"), "not typed, not warned about: " + r.err());
    }

    /** vif-nat gives the vif the guest's address + 127 in the last octet: a NATed guest whose gateway is another gets a warning naming it. */
    @Test
    void aNatedGuestsGatewayIsCheckedAgainstVifNat() throws Exception {
        InProcess.Result r = dryRun("--dir=" + tmp.resolve("store"), "--network-mode=nat");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("--gateway=192.0.2.1: vif-nat gives the NATed guest's vif 192.0.2.137"), r.err());
    }

    /** libxl hands pygrub the first disk, the root: a /boot on a disk of its own is out of its reach. */
    @Test
    void pygrubIsRefusedForABootDiskOfItsOwn() throws Exception {
        Path layout = tmp.resolve("with-boot");
        java.nio.file.Files.writeString(layout, "[root]\nsize=2G\ntype=ext4\nmountpoint=/\n\n[boot]\nsize=512M\ntype=ext4\nmountpoint=/boot\n");
        InProcess.Result r = dryRun("--dir=" + tmp.resolve("store"), "--partitions=" + layout, "--pygrub");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("pygrub reads only the guest's first disk, its root, so it cannot boot a guest whose /boot is a disk of its own"), r.err());
    }

    @Test
    void aBridgedGuestsGatewayIsNotVifNats() throws Exception {
        InProcess.Result bridged = dryRun("--dir=" + tmp.resolve("store"));
        assertEquals(0, bridged.exit(), bridged.err());
        assertFalse(bridged.err().contains("vif-nat"), bridged.err());
    }

    @Test
    void dirPlanNamesTheImagesTheCommandsAndTheCfg() throws Exception {
        Path store = tmp.resolve("store");
        InProcess.Result r = dryRun("--dir=" + store, "--size=2G", "--swap=256M", "--install-method=debootstrap");
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.contains("Installs with debootstrap (as --install-method=debootstrap says)"), out);
        assertTrue(out.contains(store + "/domains/web1.example.org/swap.img  (256M sparse image, swap, guest disk xvda1)"), out);
        assertTrue(out.contains(store + "/domains/web1.example.org/disk.img  (2G sparse image, ext4, guest disk xvda2)"), out);
        assertTrue(out.contains("mkfs.ext4 -F -q -L disk " + store + "/domains/web1.example.org/disk.img"), out);
        assertTrue(out.contains("debootstrap --arch="), out);
        assertTrue(out.contains("bookworm MOUNTPOINT http://mirror.example/debian"), out);
        assertTrue(out.contains("write   " + tmp.resolve("out") + "/web1.example.org.cfg"), out);
        assertTrue(out.contains("MAC " + dev.jxen.config.MacAddress.derived("web1.example.org", "192.0.2.10", "bookworm")), out);
        int storage = out.indexOf("] storage");
        int install = out.indexOf("] base install");
        int cfg = out.indexOf("] domU config");
        assertTrue(storage > 0 && storage < install && install < cfg, "stages in order");
        assertFalse(Files.exists(store), "a dry run created the storage directory");
        assertFalse(Files.exists(tmp.resolve("out")), "a dry run created the .cfg directory");
    }

    /** A --force replacement is built beside the live guest: the plan formats and mounts the new disks, never the live ones. */
    @Test
    void aForcedReplacementsPlanFormatsAndMountsTheStagedDisksNotTheLiveOnes() throws Exception {
        Path store = tmp.resolve("store");
        Path live = Files.createDirectories(store.resolve("domains/web1.example.org"));
        Files.writeString(live.resolve("disk.img"), "the live guest's root");
        Files.writeString(live.resolve("swap.img"), "the live guest's swap");
        InProcess.Result r = dryRun("--dir=" + store, "--size=2G", "--swap=256M", "--force");
        assertEquals(0, r.exit(), r.err());
        String staged = store + "/domains/.web1.example.org.jxen-new/";
        assertTrue(r.out().contains("mkfs.ext4 -F -q -L disk " + staged + "disk.img"), r.out());
        assertTrue(r.out().contains("mkswap -L swap " + staged + "swap.img"), r.out());
        assertTrue(r.out().contains("mount   " + staged + "disk.img  (/)"), r.out());
        for (String l : r.out().lines().toList()) {
            if (l.contains("mkfs") || l.contains("mkswap") || l.startsWith("  mount") || l.contains(" mount ")) {
                assertFalse(l.contains(live + "/disk.img") || l.contains(live + "/swap.img"), "the plan names the live guest's disk: " + l);
            }
        }
    }

    @Test
    void lvmPlanHasOneLvcreatePerPartition() throws Exception {
        InProcess.Result r = dryRun("--lvm=vg0", "--size=4G", "--swap=512M");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("lvcreate --yes --wipesignatures y --name web1.example.org-swap --size 512m vg0"), r.out());
        assertTrue(r.out().contains("lvcreate --yes --wipesignatures y --name web1.example.org-disk --size 4096m vg0"), r.out());
        assertTrue(r.out().contains("mount   /dev/vg0/web1.example.org-disk  (/)"), r.out());
    }

    @Test
    void thinLvmUsesTheThinPool() throws Exception {
        InProcess.Result r = dryRun("--lvm=vg0", "--lvm_thin=pool0");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("lvcreate --yes --thin --virtualsize 4096m --name web1.example.org-disk vg0/pool0"), r.out());
    }

    @Test
    void zpoolPlanMakesSparseVolumes() throws Exception {
        InProcess.Result r = dryRun("--zpool=tank/xen", "--size=4G", "--swap=512M");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("zfs create -s -V 512M tank/xen/web1.example.org-swap"), r.out());
        assertTrue(r.out().contains("zfs create -s -V 4096M tank/xen/web1.example.org-disk"), r.out());
        assertTrue(r.out().contains("mount   /dev/zvol/tank/xen/web1.example.org-disk  (/)"), r.out());
    }

    @Test
    void finalRolesRunAfterTheCfgWhileTheGuestIsMounted() throws Exception {
        Path role = Files.writeString(tmp.resolve("final-role"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(role, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        InProcess.Result r = dryRun("--dir=" + tmp.resolve("store"), "--finalrole=" + role);
        assertEquals(0, r.exit(), r.err());
        int cfg = r.out().indexOf("] domU config");
        int fin = r.out().indexOf("] final roles");
        int unmount = r.out().indexOf("] unmount");
        assertTrue(cfg > 0 && cfg < fin && fin < unmount, r.out());
    }

    @Test
    void jsonPlanIsOneDocumentWithEveryStage() throws Exception {
        InProcess.Result r = dryRun("--dir=" + tmp.resolve("store"), "--json");
        assertEquals(0, r.exit(), r.err());
        String json = r.out().strip();
        assertTrue(json.startsWith("{\"dry_run\":true,\"hostname\":\"web1.example.org\""), json);
        assertEquals(1, json.lines().count());
        for (String stage : new String[] {"storage", "filesystems", "mount", "base install", "identity", "guest files", "console", "dom0 settings", "skel files", "hooks",
            "roles", "accounts", "unmount", "domU config"}) {
            assertTrue(json.contains("{\"stage\":\"" + stage + "\""), "JSON plan lacks " + stage);
        }
    }

    @Test
    void jsonPlanCarriesTheCfgTheCreateWouldWrite() throws Exception {
        InProcess.Result r = dryRun("--dir=" + tmp.resolve("store"), "--json", "--memory=384M");
        assertEquals(0, r.exit(), r.err());
        String json = r.out().strip();
        String store = tmp.resolve("store/domains/web1.example.org").toString();
        assertTrue(json.contains("\"cfg_text\":\"#\\n# web1.example.org: bookworm/amd64, made by jxen\\n#\\nname    = \\\"web1.example.org\\\"\\nmemory  = 384\\n"), json);
        assertTrue(json.contains("target=" + store + "/disk.img"), json);
        assertFalse(Files.exists(tmp.resolve("out")), "a dry run wrote no .cfg");
    }

    @Test
    void partitionsLayoutGivesOneDiskEach() throws Exception {
        InProcess.Result r = dryRun("--dir=" + tmp.resolve("store"), "--partitions=sample-server");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("home.img  (1G sparse image, xfs, guest disk xvda4)"), r.out());
        assertTrue(r.out().contains("mkfs.xfs -f -q -L home"), r.out());
        assertTrue(r.out().contains("mount   " + tmp.resolve("store") + "/domains/web1.example.org/var.img  (/var)"), r.out());
    }

    @Test
    void dumpconfigShowsWhereEachValueCameFrom() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        InProcess.Result r = InProcess.create(config, "--dumpconfig", "--size=8G", "--password=hunter2secret");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*size\\s+= 8G\\s+# command line.*"), r.out());
        assertTrue(r.out().matches("(?s).*memory\\s+= 256M\\s+# .*xen-tools.conf:\\d+.*"), r.out());
        assertFalse(r.out().contains("hunter2secret"), "--dumpconfig printed the password");
    }
}
