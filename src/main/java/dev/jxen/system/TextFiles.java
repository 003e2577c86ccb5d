package dev.jxen.system;

import dev.jxen.error.InvalidInputException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Rewrites a line-based file (the dom0's hosts, a known_hosts) so that a reader never sees half of it,
 * in a place that may be another user's ({@link FilePlace}): where root alone can change the path,
 * as root, through a new file created exclusively beside it and renamed over it with the old file's
 * owner, group and mode; in a user's directory, as that user ({@code setpriv}), after refusing a link,
 * a file that is not a plain file, or one that belongs to someone else. The lock that makes two runs
 * take turns lives in jxen's lock directory, where only root can write.
 */
public final class TextFiles {
    /** Java's file locks belong to the whole JVM: threads of one run take turns here first. */
    private static final Object IN_THIS_JVM = new Object();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** No line file jxen edits comes near this; a bigger one is not what the user meant. */
    static final long MAX_BYTES = 16L << 20;

    private TextFiles() {
    }

    /** A change of a file's lines: the new lines, or empty to leave the file as it is. */
    @FunctionalInterface
    public interface LinesChange {
        Optional<List<String>> apply(List<String> lines) throws IOException;
    }

    /**
     * Reads, changes and rewrites {@code file} under an exclusive lock, so that two runs editing it at
     * once cannot lose each other's line.
     *
     * @param what    how the user named the file, for messages ("--known-hosts")
     * @param lockDir jxen's lock directory
     */
    public static void edit(Path file, String what, Path lockDir, CommandRunner runner, LinesChange change) throws IOException {
        FilePlace place = FilePlace.of(file, what);
        Path real = place.dir().resolve(file.getFileName().toString());
        Files.createDirectories(lockDir);
        Path lockFile = lockDir.resolve("edit-" + digest(real.toString()) + ".lock");
        synchronized (IN_THIS_JVM) {
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                 FileLock ignored = ch.lock()) {
                if (place.rootOnly()) {
                    Optional<List<String>> changed = change.apply(Files.exists(real) ? new ArrayList<>(readBounded(real)) : new ArrayList<>());
                    if (changed.isPresent()) {
                        replaceAsRoot(real, changed.get());
                    }
                } else {
                    editAsOwner(place, real, what, runner, change);
                }
            }
        }
    }

    private static List<String> readBounded(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new InvalidInputException(file + " is larger than " + (MAX_BYTES >> 20) + " MiB; jxen does not rewrite it");
        }
        return Files.readAllLines(file);
    }

    /**
     * Writes {@code lines} to a new file beside it (created exclusively, never through a link), with
     * the old file's owner, group and mode, then renames it over the file. A file that cannot be renamed
     * over (a bind mount, as /etc/hosts in a container) is rewritten in place instead.
     */
    static void replaceAsRoot(Path file, List<String> lines) throws IOException {
        Path tmp;
        while (true) {
            tmp = file.resolveSibling("." + file.getFileName() + ".jxen-" + HexFormat.of().formatHex(bytes(6)));
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                break;
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
        try {
            Files.write(tmp, lines, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            if (Files.exists(file)) {
                Files.setAttribute(tmp, "unix:uid", Files.getAttribute(file, "unix:uid"), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(tmp, "unix:gid", Files.getAttribute(file, "unix:gid"), LinkOption.NOFOLLOW_LINKS);
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            } else {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.write(file, lines);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** In a user's directory: checks the file as root, then reads and writes it as its owner. */
    private static void editAsOwner(FilePlace place, Path file, String what, CommandRunner runner, LinesChange change) throws IOException {
        int gid = place.group();
        String mode = "644";
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(file)) {
                throw new InvalidInputException(what + " " + file + " is a link, in a directory of uid " + place.owner()
                        + "'s; jxen does not follow links in another user's directory: make it the file itself");
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException(what + " " + file + " is not a plain file");
            }
            int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (uid != place.owner()) {
                throw new InvalidInputException(what + " " + file + " belongs to uid " + uid + ", not to uid " + place.owner()
                        + ", whose directory it is in; jxen writes such a file as its directory's owner: chown " + place.owner() + " " + file);
            }
            if ((Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS) > 1) {
                throw new InvalidInputException(what + " " + file + " has other hard links; jxen does not rewrite a file that is also elsewhere");
            }
            gid = (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            mode = Integer.toOctalString((Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0777);
        }
        List<String> asOwner = List.of("setpriv", "--reuid=" + place.owner(), "--regid=" + gid, "--clear-groups", "--", "/bin/sh", "-c");
        List<String> read = new ArrayList<>(asOwner);
        read.addAll(List.of("[ ! -L \"$1\" ] || exit 3; [ -e \"$1\" ] || exit 0; [ -f \"$1\" ] || exit 4; exec head -c " + (MAX_BYTES + 1) + " -- \"$1\"",
                "jxen-read", file.toString()));
        java.util.Map<String, String> env = java.util.Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL", "C.UTF-8");
        CommandResult r = runner.run(Command.of(read).capturing().withLabel("read " + file.getFileName()).withTimeout(Duration.ofSeconds(60))
                .replacing(read, env), l -> { });
        if (!r.ok()) {
            throw new InvalidInputException(what + " " + file + ": its owner, uid " + place.owner() + ", cannot read it (" + String.join(" ", r.tail()) + ")");
        }
        if (r.stdout().length() > MAX_BYTES) {
            throw new InvalidInputException(what + " " + file + " is larger than " + (MAX_BYTES >> 20) + " MiB; jxen does not rewrite it");
        }
        List<String> lines = new ArrayList<>(r.stdout().isEmpty() ? List.of() : List.of(r.stdout().split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        Optional<List<String>> changed = change.apply(lines);
        if (changed.isEmpty()) {
            return;
        }
        List<String> write = new ArrayList<>(asOwner);
        write.addAll(List.of("umask 077; t=$(mktemp \"$1/.$2.jxen-XXXXXXXX\") || exit 1; "
                + "if cat > \"$t\" && chmod \"$3\" \"$t\" && mv -f -- \"$t\" \"$1/$2\"; then exit 0; fi; rm -f -- \"$t\"; exit 1",
                "jxen-write", place.dir().toString(), file.getFileName().toString(), mode));
        String text = changed.get().isEmpty() ? "" : String.join("\n", changed.get()) + "\n";
        CommandResult w = runner.run(new Command(write, java.util.Map.of(), text, null, "write " + file.getFileName(), false,
                Duration.ofSeconds(60)).replacing(write, env), l -> { });
        if (!w.ok()) {
            throw new IOException("cannot write " + file + " as its owner, uid " + place.owner() + ": " + String.join(" ", w.tail()));
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
