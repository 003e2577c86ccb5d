package dev.jxen.guest;

import java.io.IOException;

/**
 * A {@code /usr/sbin/policy-rc.d} that keeps packages installed in the guest from starting daemons
 * while jxen works on it. Whatever the guest had there (a file or a link) is moved aside and put back.
 */
public final class NoDaemons implements AutoCloseable {
    static final String PATH = "usr/sbin/policy-rc.d";
    static final String SAVED = "usr/sbin/.policy-rc.d.jxen-saved";
    static final String POLICY = "#!/bin/sh\n# written by jxen while it works on this guest; removed afterwards\nexit 101\n";
    private final GuestRoot root;
    private final boolean hadOwn;
    private boolean closed;

    private NoDaemons(GuestRoot root, boolean hadOwn) {
        this.root = root;
        this.hadOwn = hadOwn;
    }

    /** The undo of {@link #install}, for the undo stack (and a later run, should this one be killed). */
    public RestorePolicyRcD undo() {
        return new RestorePolicyRcD(root.path(), hadOwn);
    }

    /** Installs the policy; null when the guest has no /usr/sbin (nothing there could start a daemon). */
    public static NoDaemons install(GuestRoot root) throws IOException {
        if (!root.isDirectory("usr/sbin")) {
            return null;
        }
        boolean own = root.exists(PATH);
        if (own) {
            root.delete(SAVED);
            root.rename(PATH, SAVED);
        }
        NoDaemons n = new NoDaemons(root, own);
        root.write(PATH, POLICY, "rwxr-xr-x");
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        root.delete(PATH);
        if (hadOwn) {
            root.rename(SAVED, PATH);
        }
    }
}
