package dev.jxen.guest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paths in a guest resolve as the guest sees them; no link leads a read, write or delete out of it. */
class GuestRootTest {
    @TempDir
    Path tmp;
    Path dom0;
    Path tree;
    GuestRoot guest;

    @BeforeEach
    void setUp() throws Exception {
        dom0 = Files.createDirectories(tmp.resolve("dom0/etc"));
        Files.writeString(dom0.resolve("shadow"), "root:secret\n");
        tree = Files.createDirectories(tmp.resolve("guest"));
        Files.createDirectories(tree.resolve("etc"));
        Files.createDirectories(tree.resolve("usr/lib"));
        guest = GuestRoot.at(tree);
    }

    @Test
    void anAbsoluteLinkStartsAgainAtTheGuestRoot() throws Exception {
        Files.createSymbolicLink(tree.resolve("etc/shadow"), dom0.resolve("shadow"));
        Path r = guest.resolve("/etc/shadow");
        assertEquals(tree.toRealPath().resolve(dom0.toString().substring(1)).resolve("shadow"), r);
        assertTrue(r.startsWith(tree.toRealPath()));
    }

    @Test
    void dotDotStopsAtTheGuestRoot() throws Exception {
        Files.createSymbolicLink(tree.resolve("etc/up"), Path.of("../../../../../../etc"));
        assertEquals(tree.toRealPath().resolve("etc/passwd"), guest.resolve("etc/up/passwd"));
        assertEquals(tree.toRealPath().resolve("etc"), guest.resolve("../../../etc"));
    }

    @Test
    void relativeLinksInsideTheGuestAreFollowedAsTheGuestWould() throws Exception {
        Files.createSymbolicLink(tree.resolve("lib"), Path.of("usr/lib"));
        Files.writeString(tree.resolve("usr/lib/os-release"), "ID=debian\n");
        Files.createSymbolicLink(tree.resolve("etc/os-release"), Path.of("../lib/os-release"));
        assertEquals("ID=debian\n", guest.readString("etc/os-release", 1000).orElseThrow());
        assertEquals(tree.toRealPath().resolve("usr/lib/os-release"), guest.resolve("/etc/os-release"));
    }

    @Test
    void aLoopOfLinksIsRefused() throws Exception {
        Files.createSymbolicLink(tree.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(tree.resolve("b"), Path.of("/a"));
        GuestRoot.GuestPathException e = assertThrows(GuestRoot.GuestPathException.class, () -> guest.resolve("a/x"));
        assertTrue(e.getMessage().contains("loop of links"), e.getMessage());
    }

    @Test
    void aWriteReplacesALinkInsteadOfFollowingIt() throws Exception {
        Files.createSymbolicLink(tree.resolve("etc/shadow"), dom0.resolve("shadow"));
        guest.write("etc/shadow", "root:new\n", "rw-r-----");
        assertEquals("root:secret\n", Files.readString(dom0.resolve("shadow")), "the dom0's file was written through the link");
        assertFalse(Files.isSymbolicLink(tree.resolve("etc/shadow")));
        assertEquals("root:new\n", Files.readString(tree.resolve("etc/shadow")));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(tree.resolve("etc/shadow"))));
    }

    @Test
    void aWriteThroughALinkedDirectoryLandsInsideTheGuest() throws Exception {
        Files.createSymbolicLink(tree.resolve("etc/ssh"), dom0);
        guest.write("etc/ssh/ssh_host_ed25519_key", "KEY", "rw-------");
        assertEquals("root:secret\n", Files.readString(dom0.resolve("shadow")));
        assertFalse(Files.exists(dom0.resolve("ssh_host_ed25519_key")), "a key was written into the dom0");
        Path landed = tree.toRealPath().resolve(dom0.toString().substring(1)).resolve("ssh_host_ed25519_key");
        assertEquals("KEY", Files.readString(landed));
    }

    @Test
    void anExistingFileKeepsItsModeWhenRewritten() throws Exception {
        Path shadow = Files.writeString(tree.resolve("etc/shadow"), "root:*:1::::::\n");
        Files.setPosixFilePermissions(shadow, PosixFilePermissions.fromString("rw-r-----"));
        guest.write("etc/shadow", "root:x:1::::::\n", "rw-rw-rw-");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(shadow)));
    }

    @Test
    void deleteRemovesTheLinkNotItsTarget() throws Exception {
        Files.createSymbolicLink(tree.resolve("etc/machine-id"), dom0.resolve("shadow"));
        assertTrue(guest.delete("etc/machine-id"));
        assertTrue(Files.exists(dom0.resolve("shadow")));
        assertFalse(Files.exists(tree.resolve("etc/machine-id"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void deleteMatchingStaysInsideTheGuest() throws Exception {
        Files.writeString(dom0.resolve("a.deb"), "dom0 package");
        Files.createDirectories(tree.resolve("var/cache/apt"));
        Files.createSymbolicLink(tree.resolve("var/cache/apt/archives"), dom0);
        assertEquals(java.util.List.of(), guest.deleteMatching("var/cache/apt/archives", "*.deb"));
        assertTrue(Files.exists(dom0.resolve("a.deb")), "a dom0 file was deleted through a guest link");
    }

    @Test
    void directoryMakesTheMissingPartsInsideTheGuest() throws Exception {
        Files.createSymbolicLink(tree.resolve("home"), dom0.resolve("home-victim"));
        Path made = guest.directory("/home/alice");
        assertTrue(made.startsWith(tree.toRealPath()));
        assertTrue(Files.isDirectory(made));
        assertFalse(Files.exists(dom0.resolve("home-victim")), "a dom0 directory was made through a guest link");
    }

    @Test
    void aFileWhereADirectoryIsNeededIsRefused() throws Exception {
        Files.writeString(tree.resolve("etc/network"), "not a directory");
        assertThrows(GuestRoot.GuestPathException.class, () -> guest.write("etc/network/interfaces", "x", "rw-r--r--"));
    }

    @Test
    void readStringIsBounded() throws Exception {
        Files.write(tree.resolve("etc/big"), new byte[4096]);
        assertThrows(GuestRoot.GuestPathException.class, () -> guest.readString("etc/big", 1024));
    }
}
