package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.event.JxenEvent.Level;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.SystemUndo;
import dev.jxen.system.ToolCheck;
import dev.jxen.system.Undo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts making the guest's SSH host keys at the start of a create, in a private directory on the
 * dom0, so that ssh-keygen's prime search (most of a warm create's wait) runs while the storage is
 * made and the base put in place; the identity stage takes them. Only for a base from the mirror,
 * which always has openssh-server. The directory is removed at the end of the run, once ssh-keygen
 * has ended, whatever happens.
 */
public final class HostKeysStage implements Stage<HostKeysStage.Pending> {
    /** Keys being made into {@code dir}; {@link #await} returns when they are there, or throws why not. */
    public record Pending(Path dir, CompletableFuture<Void> done) {
        public Path await() throws Exception {
            try {
                done.get(KEYGEN_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
            return dir;
        }
    }

    static final int KEYGEN_LIMIT_SECONDS = 300;

    private final ImageSpec spec;

    public HostKeysStage(ImageSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "host keys";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>(HostKeys.plan(spec.hostname().fqdn()));
        out.add(PlannedAction.note("started now into KEYDIR, a private directory on the dom0, while the next stages run; "
                + "the identity stage puts them into the guest"));
        return out;
    }

    @Override
    public void verify() {
        ToolCheck.require("ssh-keygen", "to make the guest's SSH host keys");
    }

    @Override
    public Pending run(StageContext ctx) throws Exception {
        Path dir = Files.createTempDirectory("jxen-hostkeys-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.undo().cleanup(new RemoveWhenDone(dir, done));
        String guest = spec.hostname().fqdn();
        HostKeys.TYPES.forEach(t -> ctx.events().log(Level.COMMAND, name(), HostKeys.keygen(dir, guest, t).display()));
        CommandRunner runner = ctx.runner();
        Thread keygen = new Thread(() -> {
            try {
                HostKeys.make(c -> runner.check(c, line -> { }), dir, guest);
                done.complete(null);
            } catch (InterruptedException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "host keys");
        keygen.start();
        return new Pending(dir, done);
    }

    /**
     * The key directory's clean-up: waits for ssh-keygen to end, so that no key is written after the
     * directory is gone, then removes it. Journaled as a plain remove-tree: after a crash no
     * ssh-keygen of the run is left to wait for.
     */
    record RemoveWhenDone(Path dir, CompletableFuture<Void> done) implements Undo {
        public String kind() {
            return new SystemUndo.RemoveTree(dir).kind();
        }

        public Map<String, String> args() {
            return new SystemUndo.RemoveTree(dir).args();
        }

        public String describe() {
            return "remove the host key directory " + dir + " once ssh-keygen has ended";
        }

        public void run(CommandRunner runner) throws Exception {
            try {
                done.get(KEYGEN_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // failed keys are removed all the same
            }
            new SystemUndo.RemoveTree(dir).run(runner);
        }
    }
}
