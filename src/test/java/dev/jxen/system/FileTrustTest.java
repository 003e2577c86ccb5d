package dev.jxen.system;

import dev.jxen.config.XenToolsConf;
import dev.jxen.error.InvalidInputException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Config files run their backticks as root, so they are read only when nobody but root could have
 * written them: the file after one link and every directory above it. Needs root to give files to
 * other owners and groups.
 */
class FileTrustTest {
    private static final int STAFF = 50;
    @TempDir
    Path tmp;
    Path marker;

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to chown test files");
        marker = tmp.resolve("backtick-ran");
    }

    private Path conf(String name, String mode, int gid) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, "size = `touch " + marker + "; echo 1G`\n");
        Files.setAttribute(f, "unix:gid", gid);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void aFileItsGroupCanWriteIsRefusedAndItsBackticksDoNotRun() throws Exception {
        Path f = conf("staff.conf", "rw-rw-r--", STAFF);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> XenToolsConf.read("--config", f));
        assertTrue(e.getMessage().contains("staff.conf is writable by group"), e.getMessage());
        assertFalse(Files.exists(marker), "the backtick command ran");
    }

    @Test
    void rootsOwnGroupMayWrite() throws Exception {
        Path f = conf("rootgroup.conf", "rw-rw-r--", 0);
        assertEquals("1G", XenToolsConf.read("--config", f).values().get("size").text());
        assertTrue(Files.exists(marker));
    }

    @Test
    void aLinkToATrustedFileIsFollowedOnce() throws Exception {
        Path f = conf("real.conf", "rw-r--r--", 0);
        Path link = Files.createSymbolicLink(tmp.resolve("link.conf"), f);
        assertEquals("1G", XenToolsConf.read("--config", link).values().get("size").text());
        Path twice = Files.createSymbolicLink(tmp.resolve("twice.conf"), link);
        assertTrue(FileTrust.problem(twice).orElseThrow().contains("a link to a link"));
    }

    @Test
    void aDirectoryAboveThatOthersCanWriteIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Files.setAttribute(dir, "unix:gid", STAFF);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
        Path f = Files.writeString(dir.resolve("x.conf"), "size = 1G\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> XenToolsConf.read("--config", f));
        assertTrue(e.getMessage().contains("its directory " + dir.toRealPath() + " is writable by group"), e.getMessage());
    }

    @Test
    void aFileOfAnotherUserIsRefused() throws Exception {
        Path f = conf("other.conf", "rw-r--r--", 0);
        Files.setAttribute(f, "unix:uid", 12345);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> XenToolsConf.read("--config", f));
        assertTrue(e.getMessage().contains("belongs to uid 12345"), e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void aStickyDirectoryOfRootIsLikeTmp() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sticky"));
        Files.setAttribute(dir, "unix:mode", 01777);
        Path f = Files.writeString(dir.resolve("x.conf"), "size = 1G\n");
        assertEquals(java.util.Optional.empty(), FileTrust.problem(f));
    }

    @Test
    void aRootLinkInADirectoryAnotherUserOwnsIsRefused() throws Exception {
        Path f = conf("real.conf", "rw-r--r--", 0);
        Path theirs = Files.createDirectories(tmp.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 12345);
        Path link = Files.createSymbolicLink(theirs.resolve("link.conf"), f);
        String why = FileTrust.problem(link).orElseThrow();
        assertTrue(why.contains("the link's directory " + theirs.toRealPath() + " belongs to uid 12345"), why);
    }
}
