package dev.jxen.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a file jxen runs as root, or whose backticks it runs (config files, hooks, roles), can
 * only have been written by root, judged as sshd judges its files: the file, after following one
 * link, and every directory above it belong to root (or to the user running jxen) and nobody else
 * can write them, a group only when it is root's. A directory that everyone may write passes only
 * with the sticky bit and root as its owner (as /tmp): there nobody else can replace root's entries.
 */
public final class FileTrust {
    private FileTrust() {
    }

    /** Why {@code file} cannot be trusted, or empty when it can. */
    public static Optional<String> problem(Path file) {
        try {
            int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Path target = file.toAbsolutePath();
            if (Files.isSymbolicLink(target)) {
                Optional<String> link = owner(target, me, "the link " + target);
                if (link.isPresent()) {
                    return link;
                }
                // whoever can write the link's directory can put another link there
                for (Path dir = target.getParent(); dir != null; dir = dir.getParent()) {
                    Path real = dir.toRealPath();
                    Optional<String> d = check(real, me, "the link's directory " + real);
                    if (d.isPresent()) {
                        return Optional.of(file + ": " + d.get());
                    }
                }
                target = target.getParent().resolve(Files.readSymbolicLink(target)).normalize();
                if (Files.isSymbolicLink(target)) {
                    return Optional.of(file + " is a link to a link (" + target + "); point it at the file itself");
                }
            }
            if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(file + ": no such file");
            }
            Optional<String> p = check(target, me, target.equals(file.toAbsolutePath()) ? file.toString() : file + " (" + target + ")");
            if (p.isPresent()) {
                return p;
            }
            for (Path dir = target.getParent(); dir != null; dir = dir.getParent()) {
                Path real = dir.toRealPath();
                Optional<String> d = check(real, me, "its directory " + real);
                if (d.isPresent()) {
                    return Optional.of(file + ": " + d.get());
                }
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of(file + ": cannot check who may write it: " + e.getMessage());
        }
    }

    /**
     * Why something in the tree {@code dir} (every entry, links not followed) or a directory above it
     * could be changed by someone other than root, or empty when nobody can: for trees whose contents
     * jxen copies into every guest.
     */
    public static Optional<String> problemOfTree(Path dir) {
        try {
            int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Path real = dir.toRealPath();
            for (Path up = real.getParent(); up != null; up = up.getParent()) {
                Optional<String> d = check(up, me, "its directory " + up);
                if (d.isPresent()) {
                    return Optional.of(dir + ": " + d.get());
                }
            }
            try (var entries = Files.walk(real)) {
                for (Path p : (Iterable<Path>) entries::iterator) {
                    Optional<String> e = Files.isSymbolicLink(p) ? owner(p, me, "the link " + p) : check(p, me, p.toString());
                    if (e.isPresent()) {
                        return e;
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException | java.io.UncheckedIOException e) {
            return Optional.of(dir + ": cannot check who may write it: " + e.getMessage());
        }
    }

    /**
     * Who else than root and the file's owner (when that is the user running jxen) can read a file
     * that holds a secret, in words; empty when nobody. A link is followed.
     */
    public static Optional<String> readableByOthers(Path file) {
        try {
            int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            int uid = (Integer) Files.getAttribute(file, "unix:uid");
            int gid = (Integer) Files.getAttribute(file, "unix:gid");
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            if (uid != 0 && uid != me) {
                return Optional.of("it belongs to uid " + uid + ", who can read it");
            }
            if ((mode & 0004) != 0) {
                return Optional.of("every user can read it");
            }
            if ((mode & 0040) != 0 && gid != 0) {
                return Optional.of("its group (gid " + gid + ") can read it");
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("jxen cannot tell who can read it (" + e.getMessage() + ")");
        }
    }

    private static Optional<String> owner(Path p, int me, String what) throws IOException {
        int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (uid != 0 && uid != me) {
            return Optional.of(what + " belongs to uid " + uid + ", neither root nor you (chown root " + p + ")");
        }
        return Optional.empty();
    }

    private static Optional<String> check(Path p, int me, String what) throws IOException {
        Optional<String> o = owner(p, me, what);
        if (o.isPresent()) {
            return o;
        }
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> perms = a.permissions();
        int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        boolean sticky = ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 01000) != 0;
        if (perms.contains(PosixFilePermission.OTHERS_WRITE) && !(a.isDirectory() && sticky && (Integer) Files.getAttribute(p, "unix:uid") == 0)) {
            return Optional.of(what + " is writable by every user (chmod o-w " + p + ")");
        }
        if (perms.contains(PosixFilePermission.GROUP_WRITE) && gid != 0 && !(a.isDirectory() && sticky)) {
            return Optional.of(what + " is writable by group " + a.group().getName() + " (chmod g-w " + p + ", or chgrp root)");
        }
        return Optional.empty();
    }
}
