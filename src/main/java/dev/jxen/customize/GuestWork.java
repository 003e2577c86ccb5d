package dev.jxen.customize;

import dev.jxen.guest.GuestFileAside;
import dev.jxen.guest.GuestRoot;
import dev.jxen.guest.Jail;
import dev.jxen.guest.Sandbox;
import dev.jxen.mirror.GuestMirrorProxy;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.system.SystemUndo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What running scripts in the mounted guest needs: the guest resolved as an untrusted tree, a sandbox
 * for each command, and a policy-rc.d that keeps daemons from starting, removed again at the end (or
 * by the rollback, should the run fail first). For an untrusted guest also the run's sandbox files, and
 * when it may fetch packages, jxen's mirror proxy with an apt setting in the guest that leads its apt there.
 */
final class GuestWork implements AutoCloseable {
    /** Read after the guest's own apt settings, so that it wins over a proxy of the guest's. */
    static final String APT_CHANNEL = "etc/apt/apt.conf.d/zzzz-jxen-sandbox-mirror";
    private static final int CHANNEL_PORT = 3142;

    private final StageContext ctx;
    private final GuestRoot guest;
    private final Sandbox sandbox;
    private final List<UndoStack.Entry> undo;
    private final GuestMirrorProxy proxy;

    private GuestWork(StageContext ctx, GuestRoot guest, Sandbox sandbox, List<UndoStack.Entry> undo, GuestMirrorProxy proxy) {
        this.ctx = ctx;
        this.guest = guest;
        this.sandbox = sandbox;
        this.undo = undo;
        this.proxy = proxy;
    }

    static GuestWork open(StageContext ctx, Sandbox.Policy policy, Path root) throws Exception {
        GuestRoot guest = GuestRoot.at(root);
        List<UndoStack.Entry> undo = new ArrayList<>();
        Jail jail = null;
        GuestMirrorProxy proxy = null;
        try {
            if (policy.trust() == Sandbox.Trust.UNTRUSTED) {
                jail = Jail.open(policy.work());
                undo.add(ctx.undo().cleanup(new SystemUndo.RemoveTree(jail.dir())));
                if (!policy.mirrors().isEmpty()) {
                    proxy = GuestMirrorProxy.start(jail.channel(), policy.mirrors(), policy.aptProxy(), ctx::warn);
                    if (guest.isDirectory("etc/apt/apt.conf.d")) {
                        GuestFileAside apt = GuestFileAside.place(guest, APT_CHANNEL, aptSetting(policy.mirrors()), "rw-r--r--");
                        undo.add(ctx.undo().cleanup(apt.undo()));
                    }
                }
            }
            Sandbox sandbox = Sandbox.prepare(policy, guest, jail);
            GuestFileAside noDaemons = GuestFileAside.noDaemons(guest);
            if (noDaemons != null) {
                undo.add(ctx.undo().cleanup(noDaemons.undo()));
            }
            if (jail != null) {
                // the last on the stack, so the first undone: nothing of the guest's runs while jxen puts its files back
                undo.add(ctx.undo().cleanup(new SystemUndo.KillSandboxes(jail.dir(), guest.path())));
            }
            return new GuestWork(ctx, guest, sandbox, undo, proxy);
        } catch (Exception | Error e) {
            if (proxy != null) {
                proxy.close();
            }
            for (int i = undo.size() - 1; i >= 0; i--) {
                ctx.undo().release(undo.get(i));
            }
            throw e;
        }
    }

    /**
     * The apt setting that sends the guest's apt to jxen's relay in the sandbox, for every host and also
     * for each allowed mirror by name, which wins over a per-host proxy of the guest's own.
     */
    static String aptSetting(List<URI> mirrors) {
        String proxy = "http://127.0.0.1:" + CHANNEL_PORT + "/";
        StringBuilder b = new StringBuilder("// written by jxen for the time of one run: an untrusted guest's apt reaches the mirror\n"
                + "// only through jxen, from a sandbox without any other network; removed afterwards\n");
        b.append("Acquire::http::Proxy \"").append(proxy).append("\";\n");
        b.append("Acquire::https::Proxy \"").append(proxy).append("\";\n");
        for (URI m : mirrors) {
            String host = m.getHost();
            if (host != null && host.matches("[A-Za-z0-9.-]+")) {
                b.append("Acquire::").append(m.getScheme()).append("::Proxy::").append(host).append(" \"").append(proxy).append("\";\n");
            }
        }
        return b.toString();
    }

    GuestRoot guest() {
        return guest;
    }

    Sandbox sandbox() {
        return sandbox;
    }

    @Override
    public void close() throws Exception {
        if (proxy != null) {
            GuestMirrorProxy.Tally t = proxy.tally();
            proxy.close();
            ctx.info("the guest's sandbox fetched " + t.fetched() + " files (" + (t.bytes() >> 10) + " KiB) from "
                    + String.join(", ", proxy.origins()) + " through jxen" + (t.refused() > 0 ? "; " + t.refused() + " requests elsewhere were refused" : ""));
        }
        for (int i = undo.size() - 1; i >= 0; i--) {
            ctx.undo().release(undo.get(i));
        }
    }
}
