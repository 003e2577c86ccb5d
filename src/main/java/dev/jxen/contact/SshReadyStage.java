package dev.jxen.contact;

import dev.jxen.customize.HostKey;
import dev.jxen.config.ImageSpec;
import dev.jxen.customize.HostIdentity;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.xen.XlCreateStage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * --wait-ssh: after xl create, waits until the guest answers SSH on its address and proves a host
 * key that jxen made for it. Any other key fails the create loudly; the guest, started, stays.
 */
public final class SshReadyStage implements Stage<SshReadyStage.Ready> {
    /** SSH answered with the guest's own key, {@code seconds} after xl create. */
    public record Ready(double seconds, String key) {
    }

    static final int PORT = 22;
    private static final Duration ATTEMPT = Duration.ofSeconds(5);
    private final ImageSpec spec;
    private final String address;
    private final StageResult<HostIdentity> identity;
    private final StageResult<XlCreateStage.Started> started;
    private final int port;

    public SshReadyStage(ImageSpec spec, String address, StageResult<HostIdentity> identity, StageResult<XlCreateStage.Started> started) {
        this(spec, address, PORT, identity, started);
    }

    SshReadyStage(ImageSpec spec, String address, int port, StageResult<HostIdentity> identity, StageResult<XlCreateStage.Started> started) {
        this.spec = spec;
        this.address = address;
        this.port = port;
        this.identity = identity;
        this.started = started;
    }

    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(PlannedAction.note("wait up to " + spec.domain().after().waitSsh().toSeconds() + " s until " + address + ":" + port
                + " answers SSH with a host key jxen made for the guest; any other key is an error"));
    }

    @Override
    public Ready run(StageContext ctx) throws Exception {
        List<HostKey> keys = HostKey.parseAll(ctx.get(identity).sshPublicKeys());
        String host = spec.hostname().fqdn();
        if (keys.isEmpty()) {
            throw new StageFailedException(name(), "jxen made no SSH host keys for the guest (it has no /etc/ssh), so there is no key "
                    + "to know it by", "leave out --wait-ssh for a guest without SSH; the guest is started and stays", null);
        }
        Instant from = ctx.get(started).at();
        Instant deadline = Instant.now().plus(spec.domain().after().waitSsh());
        String last = "not tried";
        while (true) {
            HostKeyProbe.Answer a = HostKeyProbe.probe(address, port, keys, ATTEMPT);
            if (a instanceof HostKeyProbe.Matched m) {
                double seconds = Duration.between(from, Instant.now()).toMillis() / 1000.0;
                ctx.info(String.format("SSH on %s:%d answered with the host key jxen made for %s (%s), %.1f s after xl create",
                        address, port, host, m.key(), seconds));
                return new Ready(seconds, m.key().toString());
            }
            if (a instanceof HostKeyProbe.Mismatch m) {
                throw new StageFailedException(name(), address + ":" + port + " answered SSH with a host key jxen did not make for " + host
                        + " (" + m.type() + " " + m.fingerprint() + "): another machine has the address, or someone is in between, as a "
                        + "man-in-the-middle would be", "do not log in there; see which machine answers (the guest's own console: xl console "
                        + host + "); the guest is started and stays", null);
            }
            last = ((HostKeyProbe.Unreachable) a).why();
            long waited = Duration.between(from, Instant.now()).toSeconds();
            ctx.progress((int) Math.min(waited, spec.domain().after().waitSsh().toSeconds()), (int) spec.domain().after().waitSsh().toSeconds(),
                    "waiting for SSH on " + address);
            if (Instant.now().isAfter(deadline)) {
                throw new StageFailedException(name(), "no SSH with the guest's host key on " + address + ":" + port + " within "
                        + spec.domain().after().waitSsh().toSeconds() + " s (last: " + last + ")",
                        "the guest is started and stays: see its console with xl console " + host + ", or wait longer with --wait-ssh=SECONDS", null);
            }
            Thread.sleep(1000);
        }
    }
}
