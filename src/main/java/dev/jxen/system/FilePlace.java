package dev.jxen.system;

import dev.jxen.error.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Who can change the directory a file is in, judged as sshd judges its files: every directory from /
 * down to it must belong to root or to one user (the directory's owner) and be writable by nobody
 * else, a group only when it is root's; a directory everyone may write passes only with the sticky
 * bit and root as its owner (as /tmp). jxen writes as root only where root alone can change the path
 * ({@link #rootOnly}); in a user's directory (a {@code ~/.ssh}) it writes as that user, so that a link
 * the user planted there leads nowhere the user could not write anyway.
 *
 * @param dir   the directory, with every link in its path resolved
 * @param owner the uid of its owner
 * @param group its group
 */
public record FilePlace(Path dir, int owner, int group) {

    /** Whether only root can change anything along the path. */
    public boolean rootOnly() {
        return owner == 0;
    }

    /**
     * The place of {@code file}, whose directory must exist.
     *
     * @param what how the user named the file, for the message ("--known-hosts")
     * @throws InvalidInputException when another user than the directory's owner, or everyone, can change the path
     */
    public static FilePlace of(Path file, String what) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        try {
            Path dir = parent.toRealPath();
            int owner = uid(dir);
            for (Path d = dir; d != null; d = d.getParent()) {
                int uid = uid(d);
                int gid = (Integer) Files.getAttribute(d, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(d, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                boolean sticky = (mode & 01000) != 0;
                if (uid != 0 && uid != owner) {
                    throw refused(what, file, d + " belongs to uid " + uid + ", and " + dir + " to uid " + owner);
                }
                // above the file's own directory a root-owned sticky one (/tmp) is safe: nobody can replace root's entries there;
                // as the file's own directory it is not: anyone could plant the file, or a link in its name
                boolean stickyAbove = sticky && uid == 0 && !d.equals(dir);
                if ((mode & 0002) != 0 && !stickyAbove) {
                    throw refused(what, file, d + " is writable by every user");
                }
                if ((mode & 0020) != 0 && gid != 0 && !(sticky && !d.equals(dir))) {
                    throw refused(what, file, d + " is writable by its group (gid " + gid + ")");
                }
            }
            return new FilePlace(dir, owner, (Integer) Files.getAttribute(dir, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new InvalidInputException(what + " " + file + ": its directory " + parent + " cannot be read (" + e.getMessage()
                    + "); create the directory first, as the user who is to own the file");
        }
    }

    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static InvalidInputException refused(String what, Path file, String why) {
        return new InvalidInputException(what + " " + file + ": " + why + ", so others could change what jxen, as root, writes there; "
                + "keep the file in a directory that only its owner (and root) can change, as ssh requires of ~/.ssh");
    }
}
