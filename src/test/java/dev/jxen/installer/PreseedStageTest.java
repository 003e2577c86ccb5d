package dev.jxen.installer;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.customize.Accounts;
import dev.jxen.customize.HostIdentity;
import dev.jxen.customize.HostKeys;
import dev.jxen.error.InvalidInputException;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.storage.StoragePaths;
import dev.jxen.system.RecordingCommandRunner;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preseed stage with stand-ins for the stages before it (the verified installer, the root
 * password, the host keys): the preseed rendered from the spec, appended with the host keys and
 * root's authorized keys to a copy of the initrd, the install-time .cfg naming both, all in a
 * private directory that a stage after it finds and that is gone when the run ends. No installer
 * runs: the initrd is a few bytes standing for one.
 */
class PreseedStageTest {
    private static final String HOST = "inst1.example.org";
    private static final String ROOT_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@dom0";

    @TempDir
    Path tmp;
    private ConfigSources sources;
    private InstallerImages.Verified images;
    private HostIdentity identity;
    private final byte[] initrd = "the installer's own initrd, left as it is\n".getBytes(StandardCharsets.UTF_8);

    /** What a later stage finds in the stage's directory. */
    private record Seen(String dirMode, List<String> names, String preseed, String installCfg, byte[] initrd) {
    }

    @BeforeEach
    void setUp() throws Exception {
        sources = TestSpecs.sources(tmp);
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path kernel = Files.writeString(cache.resolve("aaaa-kernel"), "kernel\n");
        Path rd = Files.write(cache.resolve("bbbb-initrd"), initrd);
        images = new InstallerImages.Verified(kernel, rd, InstallerImages.Source.CACHE, List.of(), List.of());
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        for (String f : HostKeys.FILES) {
            Files.writeString(keys.resolve(f), "key file " + f + "\n");
        }
        identity = new HostIdentity(null, List.of(), List.of(), keys);
    }

    private Path filesDir() {
        return tmp.resolve("installer-files");
    }

    private ImageSpec spec(String... more) throws Exception {
        List<String> settings = new java.util.ArrayList<>(List.of("hostname=" + HOST, "install-method=installer", "pygrub", "type=pv",
                "dir=" + tmp.resolve("store"), "size=4G", "swap=512M", "ip=192.0.2.50", "netmask=255.255.255.0", "gateway=192.0.2.1",
                "nameserver=192.0.2.53"));
        settings.addAll(List.of(more));
        return TestSpecs.spec(tmp, settings.toArray(new String[0]));
    }

    private static Stage<Seen> looking(StageResult<Preseeded> preseeded) {
        return TestStages.looking("look", ctx -> {
            Preseeded p = ctx.get(preseeded);
            try (var s = Files.list(p.dir())) {
                return new Seen(PosixFilePermissions.toString(Files.getPosixFilePermissions(p.dir())),
                        s.map(f -> f.getFileName().toString()).sorted().toList(),
                        Files.readString(p.dir().resolve("preseed.cfg")), Files.readString(p.installCfg()), Files.readAllBytes(p.initrd()));
            }
        });
    }

    private record Ran(Preseeded preseeded, Seen seen) {
    }

    private Ran run(ImageSpec spec, String crypt, StoragePaths.Name name) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<InstallerImages.Verified> v = b.add(TestStages.giving("installer images", images));
        StageResult<Accounts> a = b.add(TestStages.giving("root password", new Accounts(null, "given", crypt)));
        StageResult<HostIdentity> id = b.add(TestStages.giving("identity", identity));
        StageResult<Preseeded> p = b.add(new PreseedStage(spec, sources, filesDir(), v, a, id, name));
        StageResult<Seen> look = b.add(looking(p));
        StageContext ctx = b.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack());
        return new Ran(ctx.get(p), ctx.get(look));
    }

    /** The archive appended after the installer's initrd: each file's name, mode and contents. */
    private Map<String, String> appended(byte[] out) throws Exception {
        assertArrayEquals(initrd, Arrays.copyOf(out, initrd.length), "the installer's initrd is a byte-for-byte prefix");
        Map<String, String> files = new LinkedHashMap<>();
        try (CpioArchiveInputStream cpio = new CpioArchiveInputStream(new GZIPInputStream(
                new ByteArrayInputStream(Arrays.copyOfRange(out, initrd.length, out.length))))) {
            CpioArchiveEntry e;
            while ((e = cpio.getNextCPIOEntry()) != null) {
                files.put(e.getName() + " " + Long.toOctalString(e.getMode()), new String(cpio.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private List<String> left() throws Exception {
        try (var s = Files.list(filesDir())) {
            return s.map(Path::toString).toList();
        }
    }

    @Test
    void thePreseedTheKeysAndTheInstallCfgInAPrivateDirectoryGoneWhenTheRunEnds() throws Exception {
        Path keys = Files.writeString(tmp.resolve("root.pub"), ROOT_KEY + "\n");
        Ran r = run(spec("authorized-keys=" + keys), "$6$salt$hash", StoragePaths.Name.FINAL);
        Preseeded p = r.preseeded();
        Seen seen = r.seen();

        assertEquals(filesDir(), p.dir().getParent());
        assertTrue(p.dir().getFileName().toString().startsWith(HOST + "."), p.dir().toString());
        assertEquals("rwx------", seen.dirMode(), "the preseed holds the root password's hash");
        assertEquals(List.of("initrd.gz", "install.cfg", "preseed.cfg"), seen.names());
        assertEquals(p.dir().resolve("initrd.gz"), p.initrd());
        assertEquals(p.dir().resolve("install.cfg"), p.installCfg());

        String preseed = seen.preseed();
        for (String line : List.of("d-i netcfg/get_hostname string inst1", "d-i netcfg/get_domain string example.org",
                "d-i netcfg/get_ipaddress string 192.0.2.50", "d-i netcfg/get_gateway string 192.0.2.1",
                "d-i mirror/http/hostname string mirror.example", "d-i mirror/http/directory string /debian",
                "d-i passwd/root-password-crypted password $6$salt$hash", "d-i partman-auto/disk string /dev/xvda",
                "d-i preseed/late_command string cp /jxen/ssh_host_* /target/etc/ssh/; chmod 600 /target/etc/ssh/ssh_host_*_key; "
                        + "chmod 644 /target/etc/ssh/ssh_host_*_key.pub; mkdir -p /target/root/.ssh; cp /jxen/authorized_keys "
                        + "/target/root/.ssh/authorized_keys; chmod 700 /target/root/.ssh; chmod 600 /target/root/.ssh/authorized_keys; "
                        + "echo \"JXEN-INSTALLED: inst1\" > /dev/console")) {
            assertTrue(preseed.lines().anyMatch(line::equals), line + " in\n" + preseed);
        }

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("preseed.cfg 100644", preseed);
        expected.put("jxen 40700", "");
        expected.put("jxen/authorized_keys 100600", ROOT_KEY + "\n");
        for (String f : HostKeys.FILES.stream().sorted().toList()) {
            expected.put("jxen/" + f + " 100600", "key file " + f + "\n");
        }
        assertEquals(expected, appended(seen.initrd()));

        String cfg = seen.installCfg();
        assertTrue(cfg.contains("kernel  = \"" + images.kernel() + "\""), cfg);
        assertTrue(cfg.contains("ramdisk = \"" + p.initrd() + "\""), cfg);
        assertTrue(cfg.contains("target=" + tmp.resolve("store/domains/" + HOST + "/disk.img")), cfg);
        assertTrue(cfg.contains("on_reboot   = \"destroy\""), cfg);

        assertFalse(Files.exists(p.dir()), "the preseed outlived the run");
        assertEquals(List.of(), left());
        assertArrayEquals(initrd, Files.readAllBytes(images.initrd()), "the cached initrd was changed");
    }

    @Test
    void aLockedRootAndNoAuthorizedKeysCarryNeitherAndAReplacingCreateInstallsOntoTheNewDisk() throws Exception {
        Ran r = run(spec(), null, StoragePaths.Name.NEW);
        String preseed = r.seen().preseed();
        assertTrue(preseed.lines().anyMatch("d-i passwd/root-password-crypted password !"::equals), preseed);
        assertFalse(preseed.contains("authorized_keys"), preseed);
        assertFalse(appended(r.seen().initrd()).keySet().stream().anyMatch(k -> k.startsWith("jxen/authorized_keys")));
        String cfg = r.seen().installCfg();
        assertTrue(cfg.contains("target=" + tmp.resolve("store/domains/." + HOST + ".jxen-new/disk.img")), cfg);
        assertFalse(cfg.contains("target=" + tmp.resolve("store/domains/" + HOST + "/")), "the old guest's disk: " + cfg);
    }

    @Test
    void aFailureAfterItRemovesItsDirectory() throws Exception {
        Pipeline.Builder b = Pipeline.builder(true, null);
        StageResult<InstallerImages.Verified> v = b.add(TestStages.giving("installer images", images));
        StageResult<Accounts> a = b.add(TestStages.giving("root password", new Accounts(null, "given", "$6$salt$hash")));
        StageResult<HostIdentity> id = b.add(TestStages.giving("identity", identity));
        b.add(new PreseedStage(spec(), sources, filesDir(), v, a, id, StoragePaths.Name.FINAL));
        b.add(TestStages.failing());
        assertThrows(StageFailedException.class, () -> b.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack()));
        assertEquals(List.of(), left(), "with --keep too");
    }

    @Test
    void aPreseedTemplateThatDoesNotRenderStopsTheCreateBeforeAnythingIsWritten() throws Exception {
        Path templates = Files.createDirectories(sources.configDir().resolve("templates"));
        Files.writeString(templates.resolve("preseed.cfg.ftl"), "d-i netcfg/get_hostname string ${no_such_value}\n");
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<InstallerImages.Verified> v = b.add(TestStages.giving("installer images", images));
        StageResult<Accounts> a = b.add(TestStages.giving("root password", new Accounts(null, "given", "$6$salt$hash")));
        StageResult<HostIdentity> id = b.add(TestStages.giving("identity", identity));
        b.add(new PreseedStage(spec(), sources, filesDir(), v, a, id, StoragePaths.Name.FINAL));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> b.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack()));
        assertTrue(e.getMessage().startsWith("template preseed.cfg.ftl"), e.getMessage());
        assertTrue(e.getMessage().contains("no_such_value"), e.getMessage());
        assertFalse(Files.exists(filesDir()), "the stage ran although its template does not render");
    }
}
