package dev.jxen.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jxen-update-image, jxen-delete-image and jxen-list-images with the options of their xen-tools namesakes. */
class CompanionCommandsTest {
    @TempDir
    Path tmp;

    private String[] with(Path config, String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = "--config-dir";
        all[2] = config.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return all;
    }

    @Test
    void updateFindsTheRootDiskOfAGuestWithoutACfgUnderDirOrLvm() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        Path out = Files.createDirectories(tmp.resolve("out"));
        InProcess.Result dir = InProcess.run(with(config, "update-image", "--output", out.toString(), "--dir", "/srv/xen", "--dry-run", "web1"));
        assertEquals(0, dir.exit(), dir.err());
        assertTrue(dir.out().contains("root disk is /srv/xen/domains/web1/disk.img"), dir.out());
        InProcess.Result lvm = InProcess.run(with(config, "update-image", "--output", out.toString(), "--lvm", "vg0", "--dry-run", "web1"));
        assertEquals(0, lvm.exit(), lvm.err());
        assertTrue(lvm.out().contains("root disk is /dev/vg0/web1-disk"), lvm.out());
        Files.writeString(out.resolve("web1.cfg"), "name = 'web1'\ndisk = [ 'file:/srv/other/web1.img,xvda2,w' ]\n");
        InProcess.Result cfg = InProcess.run(with(config, "update-image", "--output", out.toString(), "--dir", "/srv/xen", "--dry-run", "web1"));
        assertTrue(cfg.out().contains("read the guest's disks from " + out.resolve("web1.cfg")), "a .cfg names the disks exactly: " + cfg.out());
    }

    @Test
    void evmsIsRefusedByName() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        for (String command : new String[] {"update-image", "delete-image", "resize-image"}) {
            InProcess.Result r = InProcess.run(with(config, command, "--output", tmp.toString(), "--evms", "c0", "--dry-run", "web1"));
            assertEquals(2, r.exit(), command + ": " + r.out() + r.err());
            // the message create gives: the companions decide the target by create's rule now
            assertTrue(r.err().contains("--evms=c0: EVMS is not supported"), r.err());
        }
    }

    @Test
    void theStorageTargetIsDecidedByCreatesRule() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        Path out = Files.createDirectories(tmp.resolve("out"));
        for (String command : new String[] {"update-image", "delete-image", "resize-image"}) {
            InProcess.Result two = InProcess.run(with(config, command, "--output", out.toString(), "--dir", "/srv/xen", "--lvm", "vg0", "--dry-run", "web1"));
            assertEquals(2, two.exit(), command + ": " + two.out() + two.err());
            assertTrue(two.err().contains("command line sets --dir and --lvm; give exactly one storage target"), two.err());
        }
        Files.writeString(config.resolve("xen-tools.conf"), Files.readString(config.resolve("xen-tools.conf")) + "\nlvm = vg7\n");
        InProcess.Result conf = InProcess.run(with(config, "update-image", "--output", out.toString(), "--dry-run", "web1"));
        assertTrue(conf.out().contains("root disk is /dev/vg7/web1-disk"), "xen-tools.conf's target where none is given: " + conf.out() + conf.err());
        InProcess.Result cli = InProcess.run(with(config, "update-image", "--output", out.toString(), "--dir", "/srv/xen", "--dry-run", "web1"));
        assertTrue(cli.out().contains("root disk is /srv/xen/domains/web1/disk.img"), "the command line's over xen-tools.conf's: " + cli.out() + cli.err());
        // a guest whose .cfg names its disks needs no target: one the configuration files name wrongly is passed over
        Files.writeString(config.resolve("xen-tools.conf"), Files.readString(config.resolve("xen-tools.conf")) + "\ndir = /srv/xen\n");
        InProcess.Result noCfg = InProcess.run(with(config, "update-image", "--output", out.toString(), "--dry-run", "web1"));
        assertEquals(2, noCfg.exit(), "without a .cfg the target is needed, and xen-tools.conf names two: " + noCfg.out() + noCfg.err());
        Files.writeString(out.resolve("web1.cfg"), "name = 'web1'\ndisk = [ 'file:/srv/other/web1.img,xvda2,w' ]\n");
        for (String command : new String[] {"update-image", "delete-image"}) {
            InProcess.Result withCfg = InProcess.run(with(config, command, "--output", out.toString(), "--dry-run", "web1"));
            assertEquals(0, withCfg.exit(), command + ": " + withCfg.out() + withCfg.err());
        }
    }

    @Test
    void deleteTakesVerboseAndTestAndSaysWhatTestDoes() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        InProcess.Result r = InProcess.run(with(config, "delete-image", "--output", tmp.toString(), "--dir", tmp.resolve("store").toString(),
                "--verbose", "--test", "--dry-run", "web1"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning: --test changes nothing"), r.err());
        assertTrue(r.out().contains("Dry run"), r.out());
    }

    @Test
    void deleteDryRunInJsonSaysWhetherThereIsAnythingAndWhat() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        Path guest = Files.createDirectories(tmp.resolve("store/domains/web1"));
        Files.writeString(guest.resolve("disk.img"), "");
        Files.writeString(guest.resolve("swap.img"), "");
        Files.createDirectories(tmp.resolve("store/domains/web1-2"));
        Files.writeString(tmp.resolve("store/domains/web1-2/disk.img"), "");
        InProcess.Result r = InProcess.run(with(config, "delete-image", "--output", tmp.resolve("out").toString(), "--dir", tmp.resolve("store").toString(),
                "--dry-run", "--json", "web1"));
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().contains("\"exists\":true,\"owned\":[\"" + guest.resolve("swap.img") + "\",\"" + guest.resolve("disk.img") + "\"]"), r.out());
        assertFalse(r.out().contains("web1-2/disk.img\"]"), "another guest's disk is not web1's: " + r.out());
        InProcess.Result none = InProcess.run(with(config, "delete-image", "--output", tmp.resolve("out").toString(), "--dir", tmp.resolve("store").toString(),
                "--dry-run", "--json", "web9"));
        assertEquals(0, none.exit(), none.err());
        assertTrue(none.out().contains("\"exists\":false,\"owned\":[]"), none.out());
        assertTrue(Files.exists(guest.resolve("disk.img")), "a dry run removes nothing");
    }

    @Test
    void resizeFindsTheRootDiskWithoutACfgAndRefusesWhatItCannotDo() throws Exception {
        Assumptions.assumeTrue(dev.jxen.system.ToolCheck.find("mkfs.ext4").isPresent(), "needs e2fsprogs");
        Path config = InProcess.scratchConfigDir(tmp);
        Path img = web1Disk();
        assertEquals(0, new ProcessBuilder("mkfs.ext4", "-q", "-F", img.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor());
        String[] base = {"--output", tmp.resolve("out").toString(), "--dir", tmp.resolve("store").toString(), "--dry-run", "web1"};
        InProcess.Result plan = InProcess.run(with(config, "resize-image", join(new String[] {"--add", "32"}, base)));
        assertEquals(0, plan.exit(), plan.err());
        assertTrue(plan.out().contains("Resize web1: grow " + img + " (mounted at /) from 64M to 96M and its ext4 filesystem"), plan.out());
        assertTrue(plan.out().contains("run     truncate --size " + (96L << 20) + " " + img), plan.out());
        for (String[] bad : new String[][] {{}, {"--add", "1G", "--size", "4G"}, {"--add", "-1G"}, {"--size", "32M"},
            {"--add", "1G", "--partition", "/home"}, {"--add", "1G", "--partition", "../x"}}) {
            InProcess.Result r = InProcess.run(with(config, "resize-image", join(bad, base)));
            assertEquals(2, r.exit(), String.join(" ", bad) + ": " + r.out() + r.err());
        }
        assertEquals(64L << 20, Files.size(img), "a dry run changed the image");
    }

    @Test
    void resizesDryRunEndsAsTheRunWouldBeginAndAGuestNamedTwiceIsRefused() throws Exception {
        Assumptions.assumeTrue(dev.jxen.system.ToolCheck.find("mkswap").isPresent(), "needs util-linux's mkswap");
        Path config = InProcess.scratchConfigDir(tmp);
        Path img = web1Disk();
        assertEquals(0, new ProcessBuilder("mkswap", img.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor());
        String[] base = {"--output", tmp.resolve("out").toString(), "--dir", tmp.resolve("store").toString(), "--add", "32", "--dry-run"};
        InProcess.Result swap = InProcess.run(with(config, "resize-image", join(base, new String[] {"web1"})));
        assertEquals(3, swap.exit(), "the run refuses a swap disk in its checks, and so does the dry run: " + swap.out() + swap.err());
        assertTrue(swap.out().contains("Resize web1: grow " + img), "the plan is printed first: " + swap.out());
        assertTrue(swap.err().contains("holds a swap filesystem: jxen-resize-image grows ext2, ext3, ext4, xfs and btrfs"), swap.err());
        InProcess.Result twice = InProcess.run(with(config, "resize-image", join(base, new String[] {"web1", "--hostname", "web1"})));
        assertEquals(2, twice.exit(), twice.out() + twice.err());
        assertTrue(twice.err().contains("the guest web1 is named twice: it would be grown twice; name each guest once"), twice.err());
        assertEquals(64L << 20, Files.size(img));
    }

    /** web1's root disk where --dir store finds it without a .cfg: 64M, no filesystem yet. */
    private Path web1Disk() throws Exception {
        Path img = Files.createDirectories(tmp.resolve("store/domains/web1")).resolve("disk.img");
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        return img;
    }

    private static String[] join(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void cacheHelpGivesTheDefaultTheCodeUses() {
        InProcess.Result r = InProcess.run("cache", "--help");
        String dflt = dev.jxen.config.Settings.defaultOf("base-cache-max").orElseThrow();
        assertTrue(r.out().replaceAll("\\s+", " ").contains("else " + dflt + ")"), r.out());
    }

    @Test
    void companionOptionsThatAreSettingsTakeTheirHelpFromTheCatalog() {
        for (String command : new String[] {"delete-image", "update-image", "resize-image"}) {
            String help = InProcess.run(command, "--help").out().replaceAll("\\s+", " ");
            for (String key : new String[] {"dir", "lvm", "zpool", "output", "extension"}) {
                String words = dev.jxen.config.Settings.byKey(key).orElseThrow().help();
                assertTrue(help.contains(words), command + " --" + key + ": " + help);
            }
        }
    }

    @Test
    void manualSaysWhereTheManualIs() {
        for (String command : new String[] {"create-image", "update-image", "delete-image", "list-images", "resize-image"}) {
            InProcess.Result r = InProcess.run(command, "--manual");
            assertEquals(0, r.exit(), command + ": " + r.err());
            assertTrue(r.out().contains("Usage:") && r.out().contains("man jxen-" + command), command + ": " + r.out());
        }
    }

    @Test
    void listShowsDhcpGuestsOfXenToolsAndJxenAndHonoursExtension() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        Path cfgs = Files.createDirectories(tmp.resolve("cfgs"));
        Files.copy(XenToolsFixtures.file("sample-server.cfg"), cfgs.resolve("xt1.cfg"));
        Files.writeString(cfgs.resolve("j1.cfg"), "name = \"j1\"\nmemory = 256\nvif = [ 'mac=00:16:3e:00:00:01, bridge=xenbr0' ]\n");
        Files.writeString(cfgs.resolve("s1.cfg"), "name = \"s1\"\nvif = [ 'mac=00:16:3e:00:00:02, ip=192.0.2.10' ]\n");
        Files.writeString(cfgs.resolve("s1.cfg~"), "name = \"backup\"\n");
        Files.writeString(cfgs.resolve("x1.xl"), "name = \"x1\"\n");
        InProcess.Result r = InProcess.run("list-images", "--config-dir", config.toString(), "--test", cfgs.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"name\":\"xt1\",") && r.out().matches("(?s).*\"name\":\"xt1\".*?\"ip\":\"dhcp\",\"dhcp\":true.*"), r.out());
        assertTrue(r.out().matches("(?s).*\"name\":\"j1\".*?\"ip\":\"dhcp\",\"dhcp\":true.*"), r.out());
        assertTrue(r.out().matches("(?s).*\"name\":\"s1\".*?\"ip\":\"192.0.2.10\",\"dhcp\":false.*"), r.out());
        assertFalse(r.out().contains("backup") || r.out().contains("x1"), r.out());
        InProcess.Result text = InProcess.run("list-images", "--config-dir", config.toString(), "--test", cfgs.toString());
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("xt1 ") && l.contains(" dhcp ")), text.out());
        InProcess.Result any = InProcess.run("list-images", "--config-dir", config.toString(), "--test", cfgs.toString(), "--extension", "");
        assertTrue(any.out().contains("x1") && !any.out().contains("backup"), "an empty extension lists every file but backups: " + any.out());
    }
}
