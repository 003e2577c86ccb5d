package dev.jxen.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A guest's root directory on the dom0. Its contents are not trusted: every path is resolved the way
 * the guest itself would see it (as under chroot: an absolute link starts again at the guest's root,
 * {@code ..} stops there), so no link in the guest can lead a read, write, delete or mount out of it.
 * Writes replace the last component (a new file renamed into place), so they never follow a link there.
 *
 * <p>This holds while nothing else changes the tree: jxen works on a guest only while the guest is
 * stopped, and the commands it runs inside it are confined to a namespace whose processes end with them.
 */
public final class GuestRoot {
    private static final int MAX_LINKS = 40;
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private final Path root;

    private GuestRoot(Path root) {
        this.root = root;
    }

    /** The guest mounted (or unpacked) at {@code dir}. */
    public static GuestRoot at(Path dir) throws IOException {
        return new GuestRoot(dir.toRealPath());
    }

    /** The root on the dom0. */
    public Path path() {
        return root;
    }

    /**
     * Where {@code guestPath} (absolute or relative to the guest's /) is on the dom0, with every link
     * followed inside the guest. Components that do not exist yet are taken as written.
     *
     * @throws GuestPathException if a link loops, or a file stands where a directory is needed
     */
    public Path resolve(String guestPath) throws IOException {
        return walk(guestPath);
    }

    private Path walk(String guestPath) throws IOException {
        Deque<String> todo = new ArrayDeque<>(components(guestPath));
        List<String> at = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!at.isEmpty()) {
                    at.remove(at.size() - 1);
                }
                continue;
            }
            Path candidate = join(at).resolve(c);
            BasicFileAttributes attrs = attributes(candidate);
            if (attrs == null) {
                at.add(c);
                continue; // does not exist: the rest is taken as written, '..' still bounded by the root
            }
            if (attrs.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    throw new GuestPathException(guestPath, "more than " + MAX_LINKS + " links, or a loop of links");
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    at.clear();
                }
                List<String> parts = components(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                continue;
            }
            if (!todo.isEmpty() && !attrs.isDirectory()) {
                throw new GuestPathException(guestPath, "/" + String.join("/", at) + (at.isEmpty() ? "" : "/") + c
                        + " is not a directory in the guest");
            }
            at.add(c);
        }
        return join(at);
    }

    private Path join(List<String> at) {
        Path p = root;
        for (String c : at) {
            p = p.resolve(c);
        }
        return p;
    }

    private static List<String> components(String path) {
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a path with a NUL byte");
        }
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The directory {@code guestPath}, made (mode 0755) where it is missing; never a link. */
    public Path directory(String guestPath) throws IOException {
        Path p = resolve(guestPath);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return p;
        }
        Path rel = root.relativize(p);
        Path at = root;
        for (Path c : rel) {
            at = at.resolve(c.toString());
            BasicFileAttributes a = attributes(at);
            if (a == null) {
                try {
                    Files.createDirectory(at, PosixFilePermissions.asFileAttribute(DIR_MODE));
                } catch (FileAlreadyExistsException e) {
                    throw new GuestPathException(guestPath, "/" + root.relativize(at) + " appeared while jxen made it");
                }
            } else if (!a.isDirectory()) {
                throw new GuestPathException(guestPath, "/" + root.relativize(at) + " is not a directory in the guest");
            }
        }
        return p;
    }

    /** The parent directory of {@code guestPath}, resolved, and the last component's name. */
    private Entry entry(String guestPath) throws IOException {
        List<String> parts = components(guestPath);
        if (parts.isEmpty()) {
            throw new GuestPathException(guestPath, "names the guest's root itself");
        }
        String name = parts.get(parts.size() - 1);
        if (name.equals(".") || name.equals("..")) {
            throw new GuestPathException(guestPath, "ends in '" + name + "'");
        }
        String parent = String.join("/", parts.subList(0, parts.size() - 1));
        return new Entry(resolve(parent), name);
    }

    private record Entry(Path dir, String name) {
        Path path() {
            return dir.resolve(name);
        }
    }

    /**
     * Writes {@code text} as the file {@code guestPath}: a new file in the resolved directory, renamed
     * over whatever was there (a link is replaced, not followed). An existing regular file's owner and
     * mode are kept; otherwise the file gets {@code mode} and root's ownership.
     */
    public void write(String guestPath, String text, String mode) throws IOException {
        write(guestPath, text.getBytes(StandardCharsets.UTF_8), mode);
    }

    public void write(String guestPath, byte[] bytes, String mode) throws IOException {
        write(guestPath, bytes, mode, true);
    }

    /**
     * As {@link #write(String, byte[], String)}, but the file is root's with {@code mode} whatever was
     * there: for secrets (private keys, a random seed), which must not take the owner or mode of a
     * file a guest left in their place.
     */
    public void writeAnew(String guestPath, byte[] bytes, String mode) throws IOException {
        write(guestPath, bytes, mode, false);
    }

    public void writeAnew(String guestPath, String text, String mode) throws IOException {
        writeAnew(guestPath, text.getBytes(StandardCharsets.UTF_8), mode);
    }

    private void write(String guestPath, byte[] bytes, String mode, boolean keepOwnerAndMode) throws IOException {
        Entry e = entry(guestPath);
        if (!Files.isDirectory(e.dir(), LinkOption.NOFOLLOW_LINKS)) {
            directory(root.relativize(e.dir()).toString());
        }
        Path target = e.path();
        BasicFileAttributes old = attributes(target);
        if (old != null && old.isDirectory()) {
            throw new GuestPathException(guestPath, "is a directory in the guest");
        }
        Path tmp = Files.createTempFile(e.dir(), "." + e.name() + ".", ".jxen-new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, bytes);
            if (keepOwnerAndMode && old != null && old.isRegularFile()) {
                Files.setAttribute(tmp, "unix:uid", Files.getAttribute(target, "unix:uid", LinkOption.NOFOLLOW_LINKS));
                Files.setAttribute(tmp, "unix:gid", Files.getAttribute(target, "unix:gid", LinkOption.NOFOLLOW_LINKS));
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS));
            } else {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Appends to the file {@code guestPath} (made if missing), by writing the whole file anew. */
    public void append(String guestPath, String text, String mode) throws IOException {
        String old = readString(guestPath, 16 << 20).orElse("");
        write(guestPath, old + text, mode);
    }

    /** The text of the regular file {@code guestPath}, if there is one; refused above {@code maxBytes}. */
    public Optional<String> readString(String guestPath, long maxBytes) throws IOException {
        Path p = resolve(guestPath);
        BasicFileAttributes a = attributes(p);
        if (a == null || !a.isRegularFile()) {
            return Optional.empty();
        }
        if (a.size() > maxBytes) {
            throw new GuestPathException(guestPath, "is larger than " + maxBytes + " bytes");
        }
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new GuestPathException(guestPath, "is not UTF-8 text");
        }
    }

    public List<String> readLines(String guestPath) throws IOException {
        return readString(guestPath, 16 << 20).map(s -> s.lines().toList())
                .orElseThrow(() -> new NoSuchFileException("/" + guestPath + " in the guest"));
    }

    /** Removes the entry {@code guestPath} itself (a link, not what it points to); true if there was one. */
    public boolean delete(String guestPath) throws IOException {
        Entry e = entry(guestPath);
        BasicFileAttributes a = attributes(e.path());
        if (a == null) {
            return false;
        }
        if (a.isDirectory()) {
            throw new GuestPathException(guestPath, "is a directory; jxen removes files and links only");
        }
        Files.delete(e.path());
        return true;
    }

    /** The names in directory {@code guestDir} that match {@code glob}, sorted; none when it is not a directory. */
    public List<String> list(String guestDir, String glob) throws IOException {
        Path dir = resolve(guestDir);
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
                s.forEach(p -> names.add(p.getFileName().toString()));
            }
        }
        names.sort(null);
        return names;
    }

    /** The regular file {@code guestPath} to read, if there is one (links followed inside the guest). */
    public Optional<java.io.InputStream> open(String guestPath) throws IOException {
        Path p = resolve(guestPath);
        BasicFileAttributes a = attributes(p);
        if (a == null || !a.isRegularFile()) {
            return Optional.empty();
        }
        return Optional.of(Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS));
    }

    /** Removes the files and links in directory {@code guestDir} whose names match {@code glob}. */
    public List<String> deleteMatching(String guestDir, String glob) throws IOException {
        Path dir = resolve(guestDir);
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return removed;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            for (Path p : s) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(p);
                    removed.add(p.getFileName().toString());
                }
            }
        }
        return removed;
    }

    /** Makes {@code guestPath} a link to {@code target}, replacing a file or link there. */
    public void symlink(String guestPath, String target) throws IOException {
        Entry e = entry(guestPath);
        if (!Files.isDirectory(e.dir(), LinkOption.NOFOLLOW_LINKS)) {
            directory(root.relativize(e.dir()).toString());
        }
        delete(guestPath);
        Files.createSymbolicLink(e.path(), Path.of(target));
    }

    /** Renames the entry {@code from} to {@code to} in the same resolved directory; the entry itself moves, links included. */
    public void rename(String from, String to) throws IOException {
        Entry a = entry(from);
        Entry b = entry(to);
        if (!a.dir().equals(b.dir())) {
            throw new GuestPathException(to, "is not in the directory of " + from);
        }
        Files.move(a.path(), b.path(), StandardCopyOption.ATOMIC_MOVE);
    }

    /** True if something (a file, a directory, a link, even a dangling one) is at {@code guestPath}. */
    public boolean exists(String guestPath) throws IOException {
        return attributes(entry(guestPath).path()) != null;
    }

    /** True if the entry {@code guestPath} itself (its directory resolved inside the guest) is a link. */
    public boolean isLink(String guestPath) throws IOException {
        return Files.isSymbolicLink(entry(guestPath).path());
    }

    public boolean isDirectory(String guestPath) throws IOException {
        return Files.isDirectory(resolve(guestPath), LinkOption.NOFOLLOW_LINKS);
    }

    /** Sets owner and group of a directory made by {@link #directory} (for home directories). */
    public void chown(String guestPath, int uid, int gid, String mode) throws IOException {
        Path p = resolve(guestPath);
        if (Files.isSymbolicLink(p)) {
            throw new GuestPathException(guestPath, "is a link");
        }
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    /** Thrown when a guest path cannot be resolved safely inside the guest. */
    public static final class GuestPathException extends IOException {
        private static final long serialVersionUID = 1L;

        public GuestPathException(String guestPath, String why) {
            super("guest path /" + String.join("/", components(guestPath)) + ": " + why);
        }
    }
}
