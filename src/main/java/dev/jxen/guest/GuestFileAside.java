package dev.jxen.guest;

import java.io.IOException;

/**
 * A file of jxen's in a guest for the time of a run (a {@code policy-rc.d} that keeps daemons from
 * starting, the apt setting that leads the guest's apt to jxen's mirror proxy): whatever the guest had
 * at that path (a file or a link) is moved aside first, and put back at the end, or by the undo of a
 * failed or killed run ({@link RestoreGuestFile}).
 */
public final class GuestFileAside implements AutoCloseable {
    private final GuestRoot root;
    private final String path;
    private final String saved;
    private final boolean hadOwn;
    private boolean closed;

    private GuestFileAside(GuestRoot root, String path, String saved, boolean hadOwn) {
        this.root = root;
        this.path = path;
        this.saved = saved;
        this.hadOwn = hadOwn;
    }

    /** The policy that keeps packages installed in the guest from starting daemons while jxen works on it. */
    public static GuestFileAside noDaemons(GuestRoot root) throws IOException {
        return root.isDirectory("usr/sbin") ? place(root, "usr/sbin/policy-rc.d",
                "#!/bin/sh\n# written by jxen while it works on this guest; removed afterwards\nexit 101\n", "rwxr-xr-x") : null;
    }

    /**
     * Writes {@code text} at {@code guestPath} (relative to the guest's root, its directory already there),
     * the guest's own file set aside as {@code .NAME.jxen-saved} beside it.
     */
    public static GuestFileAside place(GuestRoot root, String guestPath, String text, String mode) throws IOException {
        String saved = savedName(guestPath);
        boolean own = root.exists(guestPath);
        if (own) {
            root.delete(saved);
            root.rename(guestPath, saved);
        }
        GuestFileAside f = new GuestFileAside(root, guestPath, saved, own);
        root.write(guestPath, text, mode);
        return f;
    }

    static String savedName(String guestPath) {
        int slash = guestPath.lastIndexOf('/');
        return guestPath.substring(0, slash + 1) + "." + guestPath.substring(slash + 1) + ".jxen-saved";
    }

    /** The undo of {@link #place}, for the undo stack (and a later run, should this one be killed). */
    public RestoreGuestFile undo() {
        return new RestoreGuestFile(root.path(), path, hadOwn);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        root.delete(path);
        if (hadOwn) {
            root.rename(saved, path);
        }
    }
}
