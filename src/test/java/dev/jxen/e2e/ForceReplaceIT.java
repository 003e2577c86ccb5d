package dev.jxen.e2e;

import dev.jxen.xen.DomUConfigFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A --force create builds the new guest beside the old one and replaces it only when every stage has
 * succeeded: a failure at any stage leaves the old guest's images and .cfg byte for byte as they
 * were, and nothing of the new one.
 */
@Tag("root")
@Tag("mirror")
class ForceReplaceIT {
    private static final String HOST = "f1";
    @TempDir
    static Path tmp;
    static Jxen jxen;

    @BeforeAll
    static void createTheOldGuest() throws Exception {
        Jxen.assumeRoot();
        jxen = new Jxen(tmp);
        Jxen.Result r = jxen.create(HOST, "--size", "1G", "--swap", "128M", "--ip", "192.0.2.31", "--nodhcp");
        assertEquals(0, r.exit(), r.all());
    }

    /** Every file of the guest's storage directory and its .cfg, by content. */
    private static Map<String, String> oldGuest() throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(jxen.store.resolve("domains"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(jxen.store.relativize(p).toString(), sha256(p));
            }
        }
        out.put("cfg", sha256(jxen.cfg(HOST)));
        try (Stream<Path> s = Files.list(jxen.output)) {
            out.put("cfg dir", s.map(p -> p.getFileName().toString()).sorted().toList().toString());
        }
        try (Stream<Path> s = Files.list(jxen.store.resolve("domains"))) {
            out.put("domains", s.map(p -> p.getFileName().toString()).sorted().toList().toString());
        }
        out.put("dom0 hosts", Files.readString(jxen.root.resolve("dom0-hosts")));
        return out;
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"guest stopped", "storage in use", "mirror", "storage", "base install", "hooks", "accounts", "dom0 hosts",
        "domU config", "swap storage", "publish config", "unmount"})
    void aFailureAtAnyStageLeavesTheOldGuestAsItWas(String stage) throws Exception {
        Map<String, String> before = oldGuest();
        jxen.env("JXEN_FAULT_AFTER_STAGE", stage);
        try {
            Jxen.Result r = jxen.create(HOST, "--size", "1G", "--swap", "128M", "--ip", "192.0.2.32", "--nodhcp", "--force");
            assertEquals(4, r.exit(), r.all());
            assertTrue(r.err().contains("fault injected after stage '" + stage + "'"), r.err());
        } finally {
            jxen.env("JXEN_FAULT_AFTER_STAGE", "");
        }
        assertEquals(before, oldGuest(), "the old guest changed after a --force create failed after '" + stage + "'");
        Leftovers.assertNothingMounted(jxen);
    }

    @Test
    void aDeadMirrorFailsBeforeAnythingIsMade() throws Exception {
        Map<String, String> before = oldGuest();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Jxen.Result r = jxen.create(HOST, "--force", "--mirror", "http://127.0.0.1:" + port + "/debian", "--no-base-cache");
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.err().contains("stage 'mirror' failed"), r.err());
        assertEquals(before, oldGuest());
    }

    @Test
    void aForceCreateThatSucceedsReplacesTheGuestAndLeavesNothingOfTheOldOne() throws Exception {
        String oldId;
        try (GuestImage g = GuestImage.mount(jxen.image(HOST, "disk"), tmp.resolve("mnt-old"))) {
            oldId = g.read("etc/machine-id");
        }
        Jxen.Result r = jxen.create(HOST, "--size", "1G", "--swap", "128M", "--ip", "192.0.2.33", "--nodhcp", "--force");
        assertEquals(0, r.exit(), r.all());
        try (GuestImage g = GuestImage.mount(jxen.image(HOST, "disk"), tmp.resolve("mnt-new"))) {
            assertNotEquals(oldId, g.read("etc/machine-id"), "the guest was not replaced");
            assertTrue(g.read("etc/network/interfaces").contains("192.0.2.33"));
        }
        try (Stream<Path> s = Files.list(jxen.store.resolve("domains"))) {
            assertEquals(List.of(HOST), s.map(p -> p.getFileName().toString()).toList(), "staging or old directories left");
        }
        try (Stream<Path> s = Files.list(jxen.output)) {
            assertEquals(List.of(HOST + ".cfg"), s.map(p -> p.getFileName().toString()).toList(), "a staged or old .cfg left");
        }
        assertEquals("192.0.2.33", DomUConfigFile.read(jxen.cfg(HOST)).vifField("ip"));
        List<String> hostLines = Files.readAllLines(jxen.root.resolve("dom0-hosts")).stream().filter(l -> l.endsWith("for " + HOST)).toList();
        assertEquals(1, hostLines.size(), hostLines.toString());
        assertTrue(hostLines.get(0).startsWith("192.0.2.33"), hostLines.toString());
        Leftovers.assertNothingMounted(jxen);
    }
}
