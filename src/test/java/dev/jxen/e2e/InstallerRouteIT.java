package dev.jxen.e2e;

import com.sun.net.httpserver.HttpServer;
import dev.jxen.mirror.AptSources;
import dev.jxen.mirror.MirrorGuess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --install-method installer end to end on this machine, which has no Xen: the installer is
 * fetched and verified from the mirror for real (into the cache InstallerImagesIT shares), the
 * preseed and host keys go into a copy of its initrd, the storage is made; a stand-in for xl
 * starts, instead of a domain, a process that writes what an installer writes on a real pty, which
 * jxen reads as a domain's console (found through a stand-in for xenstore-read). The mirror is this
 * machine's, relayed by the test without the index of the installer's components (this mirror
 * serves none of them, which jxen would refuse: the last test). The installer's own run as a Xen
 * guest is the rig's (XenRigIT).
 */
@Tag("root")
@Tag("mirror")
class InstallerRouteIT {
    private static final Path INSTALLER_CACHE = Path.of("/var/tmp/jxen-test-installer-cache");

    @TempDir
    Path tmp;
    Jxen jxen;
    Path state;
    HttpServer relay;
    String relayed;

    private static String realMirror() {
        return MirrorGuess.mirrorFor(AptSources.read(Path.of("/etc/apt")), java.util.Set.of("bookworm", "trixie")).orElseThrow().uri().replaceAll("/+$", "");
    }

    /** This machine's mirror, but for the index of the installer's components, which it answers 404 for. */
    private void startRelay() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String real = realMirror();
        relay = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        relay.createContext("/debian/", ex -> {
            String path = ex.getRequestURI().getPath().substring("/debian".length());
            try {
                HttpResponse<byte[]> r = path.contains("/debian-installer/") ? null
                        : client.send(HttpRequest.newBuilder(URI.create(real + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r == null || r.statusCode() != 200) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    ex.sendResponseHeaders(200, r.body().length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(r.body());
                    }
                }
            } catch (InterruptedException e) {
                ex.sendResponseHeaders(502, -1);
            }
            ex.close();
        });
        relay.start();
        relayed = "http://127.0.0.1:" + relay.getAddress().getPort() + "/debian";
    }

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.stop(0);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
        Path bin = Files.createDirectories(tmp.resolve("fakebin"));
        state = Files.createDirectories(bin.resolve("state"));
        for (String f : List.of("fake-xl", "fake-xenstore-read", "fake-installer.py")) {
            try (InputStream in = getClass().getResourceAsStream("/installer/" + f)) {
                Path to = bin.resolve(f.equals("fake-xenstore-read") ? "xenstore-read" : f);
                Files.copy(in, to);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        jxen.env("JXEN_XL", bin.resolve("fake-xl").toString())
                .env("PATH", bin + ":" + System.getenv("PATH"))
                .env("JXEN_INSTALLER_CACHE", INSTALLER_CACHE.toString())
                .env("JXEN_INSTALLER_FILES", tmp.resolve("installer-files").toString());
        startRelay();
    }

    private Jxen.Result create(String host, String scenario, String... more) throws Exception {
        Files.writeString(state.resolve("scenario"), scenario);
        List<String> args = new java.util.ArrayList<>(List.of("--install-method", "installer", "--pygrub", "--type", "pv",
                "--nohosts", "--password", "it-only", "--mirror", relayed));
        args.addAll(List.of(more));
        return jxen.create(host, args.toArray(new String[0]));
    }

    /** The whole of an initrd of concatenated gzip members, as the kernel unpacks it. */
    private static String unpacked(Path gz) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private void assertNoInstallerFiles() throws Exception {
        Path files = tmp.resolve("installer-files");
        if (Files.isDirectory(files)) {
            try (Stream<Path> s = Files.list(files)) {
                assertEquals(List.of(), s.map(Path::toString).toList(), "installer files left behind");
            }
        }
        assertFalse(Files.exists(state.resolve("running")), "the installer's domain left running");
    }

    @Test
    void anInstallFollowedToItsEndGivesTheGuestItsCfgAndHostKeys() throws Exception {
        Jxen.Result r = create("ri1", "success");
        assertEquals(0, r.exit(), r.all());
        String log = Files.readString(jxen.log("ri1"));
        assertTrue(r.all().contains("whether the mirror serves the installer's components (.udeb) is not known: "), r.all());
        assertTrue(log.contains("the installer read jxen's preseed"), log);
        assertTrue(log.contains("the Debian Installer installed ri1 in"), log);
        // the disk: one, of the layout's size and 4 MiB for the partition table
        Path disk = jxen.image("ri1", "disk");
        assertEquals((2048L + 256 + 4) << 20, Files.size(disk));
        assertFalse(Files.exists(jxen.image("ri1", "swap")), "the installer makes the swap partition, not jxen");
        // what xl was given to start the installer
        String install = Files.readString(state.resolve("install.cfg"));
        assertTrue(install.contains("kernel  = \"" + INSTALLER_CACHE + "/"), install);
        assertTrue(install.contains("extra   = \"auto=true priority=critical console=hvc0\""), install);
        assertTrue(install.contains("memory  = 1024") && install.contains("on_reboot   = \"destroy\""), install);
        assertTrue(install.contains("vdev=xvda, access=rw, target=" + disk + "\""), install);
        String initrd = unpacked(state.resolve("ramdisk.gz"));
        assertTrue(initrd.contains("d-i netcfg/disable_autoconfig boolean false") && initrd.contains("d-i netcfg/get_hostname string ri1"),
                "the preseed is in the initrd xl was given");
        assertFalse(initrd.contains("it-only"), "the password itself is not in the initrd, only its hash");
        // the host key in the initrd is the one the summary names
        Matcher key = Pattern.compile("ssh-ed25519 [A-Za-z0-9+/=]+ root@ri1").matcher(initrd);
        assertTrue(key.find(), "the ed25519 host key for the late command");
        Path pub = Files.writeString(tmp.resolve("ed25519.pub"), key.group() + "\n");
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", pub.toString()).redirectErrorStream(true).start();
        String fingerprint = new String(p.getInputStream().readAllBytes()).split(" ")[1];
        assertTrue(fingerprint.startsWith("SHA256:") && r.out().contains(fingerprint), fingerprint + " in the summary:\n" + r.out());
        // the guest's own .cfg
        String cfg = Files.readString(jxen.cfg("ri1"));
        assertTrue(cfg.contains("bootloader = \"pygrub\"") && cfg.contains("on_reboot   = \"restart\""), cfg);
        assertTrue(cfg.contains("vdev=xvda, access=rw, target=" + disk + "\""), cfg);
        assertFalse(cfg.contains("installer"), cfg);
        assertTrue(Files.readString(jxen.logs.resolve("ri1.installer-console.log")).contains("JXEN-INSTALLED: ri1"));
        assertNoInstallerFiles();
        Leftovers.assertNothingMounted(jxen);
        // an update does not take the partitioned disk for a filesystem
        Jxen.Result u = jxen.run("jxen-update-image", List.of("--config-dir", jxen.config.toString(), "--output", jxen.output.toString(), "ri1"));
        assertEquals(3, u.exit(), u.all());
        assertTrue(u.err().contains("the disk xvda of " + jxen.cfg("ri1") + " holds a partition table"), u.err());
        // and it is a guest like the others: delete removes its one disk
        Jxen.Result d = jxen.run("jxen-delete-image", List.of("--config-dir", jxen.config.toString(), "--dir", jxen.store.toString(),
                "--output", jxen.output.toString(), "ri1"));
        assertEquals(0, d.exit(), d.all());
        Leftovers.assertNone(jxen, "ri1");
    }

    @Test
    void aDialogOnTheInstallersScreenStopsTheCreateWithItsText() throws Exception {
        Jxen.Result r = create("ri2", "dialog");
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.err().contains("stage 'installer run' failed: the installer stopped at a dialog the preseed did not answer: "
                + "\"Configure the network\": Network autoconfiguration failed"), r.err());
        assertEquals("ri2", Files.readString(state.resolve("destroyed")).strip(), "xl destroy of the installer's domain");
        Leftovers.assertNone(jxen, "ri2");
        assertNoInstallerFiles();
    }

    @Test
    void aDomainThatEndsBeforeTheInstallIsDoneFailsTheCreate() throws Exception {
        Jxen.Result r = create("ri3", "early");
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.err().contains("the installer's domain ended after") && r.err().contains("before the install was complete"), r.err());
        Leftovers.assertNone(jxen, "ri3");
        assertNoInstallerFiles();
    }

    @Test
    void anXlThatCannotListDomainsOnceTheConsoleEndedFailsTheCreateInSecondsNotHours() throws Exception {
        Files.writeString(state.resolve("list-fails"), "");
        long start = System.nanoTime();
        Jxen.Result r = create("ri5", "early");
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.err().contains("list' failed 10 times in a row, so jxen cannot tell whether the domain ri5 is still there")
                && r.err().contains("cannot init xl context"), r.err());
        assertTrue(seconds < 600, "the create ended after " + seconds + " s");
        assertEquals("ri5", Files.readString(state.resolve("destroyed")).strip(), "the rollback destroys the domain");
        Leftovers.assertNone(jxen, "ri5");
        assertNoInstallerFiles();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mirror", "installer images", "root password", "identity", "preseed", "storage", "installer run", "dom0 hosts",
        "domU config"})
    void aFailureAfterEachStageOfTheRouteRollsEverythingBack(String stage) throws Exception {
        jxen.env("JXEN_FAULT_AFTER_STAGE", stage);
        Jxen.Result r = create("rf1", "success");
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.err().contains("fault injected after stage '" + stage + "'"), r.err());
        Leftovers.assertNone(jxen, "rf1");
        assertNoInstallerFiles();
    }

    @Test
    void aMirrorThatDoesNotServeTheInstallersComponentsIsRefusedBeforeAnythingIsMade() throws Exception {
        String real = realMirror();
        Files.writeString(state.resolve("scenario"), "success");
        jxen.env("JXEN_FAULT_AFTER_STAGE", "installer images");
        Jxen.Result r = jxen.create("ri4", "--install-method", "installer", "--pygrub", "--type", "pv", "--nohosts", "--password", "it-only",
                "--mirror", real);
        assertEquals(4, r.exit(), r.all());
        // this machine's mirror serves no .udeb; a full mirror passes the stage (and the injected fault stops the run)
        if (r.err().contains("fault injected")) {
            assertTrue(Files.readString(jxen.log("ri4")).contains("the installer's components: "), "served, and said so");
        } else {
            assertTrue(r.err().contains("stage 'installer images' failed: ") && r.err().contains("does not serve the installer's components (.udeb)"),
                    r.err());
        }
        Leftovers.assertNone(jxen, "ri4");
        assertNoInstallerFiles();
    }
}
