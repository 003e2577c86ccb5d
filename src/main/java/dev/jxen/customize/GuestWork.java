package dev.jxen.customize;

import dev.jxen.guest.GuestRoot;
import dev.jxen.guest.NoDaemons;
import dev.jxen.guest.Sandbox;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.UndoStack;

/**
 * What running scripts in the mounted guest needs: the guest resolved as an untrusted tree, a sandbox
 * for each command, and a policy-rc.d that keeps daemons from starting, removed again at the end (or
 * by the rollback, should the run fail first).
 */
final class GuestWork implements AutoCloseable {
    private final StageContext ctx;
    private final GuestRoot guest;
    private final Sandbox sandbox;
    private final UndoStack.Entry policyUndo;

    private GuestWork(StageContext ctx, GuestRoot guest, Sandbox sandbox, UndoStack.Entry policyUndo) {
        this.ctx = ctx;
        this.guest = guest;
        this.sandbox = sandbox;
        this.policyUndo = policyUndo;
    }

    static GuestWork open(StageContext ctx, Sandbox.Policy policy, java.nio.file.Path root) throws Exception {
        GuestRoot guest = GuestRoot.at(root);
        Sandbox sandbox = Sandbox.prepare(policy, guest);
        NoDaemons noDaemons = NoDaemons.install(guest);
        UndoStack.Entry undo = noDaemons == null ? null
                : ctx.undo().cleanup(noDaemons.undo());
        return new GuestWork(ctx, guest, sandbox, undo);
    }

    GuestRoot guest() {
        return guest;
    }

    Sandbox sandbox() {
        return sandbox;
    }

    @Override
    public void close() throws Exception {
        if (policyUndo != null) {
            ctx.undo().release(policyUndo);
        }
    }
}
