package dev.jxen.system;

import dev.jxen.error.InvalidInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user who owns the directory of a file jxen edits as root (their ~/.ssh/known_hosts) plants links
 * and other people's files there: jxen refuses them, writes nothing through them, and leaves the
 * user's own file theirs (owner, group, mode), also when a failed create puts it back.
 */
@Tag("root")
class UserPlaceFilesTest {
    private static final int ALICE = 4242;
    private static final int ALICES_GROUP = 4343;
    @TempDir
    Path tmp;
    Path ssh;
    Path knownHosts;
    Path rootSecret;
    Path locks;
    final CommandRunner runner = new LocalCommandRunner();

    @BeforeEach
    void aliceHasAnSshDirectory() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to play two users");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectories(tmp.resolve("home/alice"));
        ssh = Files.createDirectories(home.resolve(".ssh"));
        for (Path p : List.of(home, ssh)) {
            chown(p, ALICE, ALICES_GROUP);
        }
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
        knownHosts = ssh.resolve("known_hosts");
        rootSecret = Files.writeString(tmp.resolve("root-only"), "root:$6$secret:19000::::::\n");
        Files.setPosixFilePermissions(rootSecret, PosixFilePermissions.fromString("rw-------"));
        locks = tmp.resolve("locks");
    }

    private static void chown(Path p, int uid, int gid) throws Exception {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    private void add(String line) throws Exception {
        TextFiles.edit(knownHosts, "--known-hosts", locks, runner, lines -> {
            lines.add(line);
            return Optional.of(lines);
        });
    }

    private static String attrs(Path p) throws Exception {
        return Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":" + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)
                + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void theUsersOwnFileStaysTheirsWithItsModeAndGroup() throws Exception {
        Files.writeString(knownHosts, "other.example ssh-ed25519 AAAA\n");
        chown(knownHosts, ALICE, ALICES_GROUP);
        Files.setPosixFilePermissions(knownHosts, PosixFilePermissions.fromString("rw-r-----"));
        add("192.0.2.10 ssh-ed25519 BBBB");
        assertEquals(List.of("other.example ssh-ed25519 AAAA", "192.0.2.10 ssh-ed25519 BBBB"), Files.readAllLines(knownHosts));
        assertEquals(ALICE + ":" + ALICES_GROUP + " rw-r-----", attrs(knownHosts));
        new SystemUndo.RestoreLines(knownHosts, "192.0.2.10 ssh-ed25519 BBBB", List.of(), "put it back", locks).run(runner);
        assertEquals(List.of("other.example ssh-ed25519 AAAA"), Files.readAllLines(knownHosts));
        assertEquals(ALICE + ":" + ALICES_GROUP + " rw-r-----", attrs(knownHosts), "after the restore of a failed create");
        try (var s = Files.list(ssh)) {
            assertEquals(List.of(knownHosts), s.toList(), "nothing else left in the directory");
        }
    }

    @Test
    void aNewFileBelongsToTheUser() throws Exception {
        add("192.0.2.10 ssh-ed25519 BBBB");
        assertEquals(ALICE + ":" + ALICES_GROUP + " rw-r--r--", attrs(knownHosts));
    }

    @Test
    void aLinkToARootFileIsRefusedAndTheFileUntouched() throws Exception {
        Files.createSymbolicLink(knownHosts, rootSecret);
        chown(knownHosts, ALICE, ALICES_GROUP);
        String before = Files.readString(rootSecret);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> add("* * * * * root /tmp/evil"));
        assertTrue(e.getMessage().contains("is a link"), e.getMessage());
        assertEquals(before, Files.readString(rootSecret));
        assertEquals("0:0 rw-------", attrs(rootSecret));
    }

    @Test
    void linksAtTheNamesJxenOnceUsedLeadNowhere() throws Exception {
        Path lockTarget = tmp.resolve("created-by-root");
        Files.createSymbolicLink(ssh.resolve(".known_hosts.jxen-lock"), lockTarget);
        Files.createSymbolicLink(ssh.resolve(".known_hosts.jxen-new"), rootSecret);
        String before = Files.readString(rootSecret);
        add("192.0.2.10 ssh-ed25519 BBBB");
        assertFalse(Files.exists(lockTarget), "jxen created a file where the user's link pointed");
        assertEquals(before, Files.readString(rootSecret));
        assertEquals("0:0 rw-------", attrs(rootSecret));
        assertEquals(ALICE + ":" + ALICES_GROUP + " rw-r--r--", attrs(knownHosts));
    }

    @Test
    void aFileOfSomeoneElseAHardLinkOrAForeignDirectoryIsRefused() throws Exception {
        Files.writeString(knownHosts, "x\n");
        chown(knownHosts, 4444, 4444);
        assertTrue(assertThrows(InvalidInputException.class, () -> add("y")).getMessage().contains("belongs to uid 4444"));
        Files.delete(knownHosts);

        Path mine = Files.writeString(tmp.resolve("home/alice/elsewhere"), "x\n");
        chown(mine, ALICE, ALICES_GROUP);
        Files.createLink(knownHosts, mine);
        assertTrue(assertThrows(InvalidInputException.class, () -> add("y")).getMessage().contains("other hard links"));
        Files.delete(knownHosts);

        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(assertThrows(InvalidInputException.class, () -> add("y")).getMessage().contains("writable by every user"));
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));

        Path bobs = Files.createDirectories(ssh.resolve("bob"));
        chown(bobs, 4545, 4545);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TextFiles.edit(bobs.resolve("known_hosts"), "--known-hosts", locks, runner,
                l -> Optional.of(l)));
        assertTrue(e.getMessage().contains("belongs to uid " + ALICE), e.getMessage());
    }
}
