package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.SystemUndo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's SSH host keys when the Debian Installer installs it: made on the dom0 as for every
 * guest, kept in a private directory until the run ends, and put into the guest by the preseed's
 * late command, so that the summary's fingerprints, --wait-ssh and --known-hosts hold for it too.
 */
public final class InstallerHostKeysStage implements Stage<HostIdentity> {
    private final ImageSpec spec;
    private final Path filesDir;

    /** @param filesDir where the private directory of the keys is made */
    public InstallerHostKeysStage(ImageSpec spec, Path filesDir) {
        this.spec = spec;
        this.filesDir = filesDir;
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>(HostKeys.plan(spec.hostname().fqdn()));
        out.add(PlannedAction.note("the new host keys go into the guest's /etc/ssh through the preseed's late command; "
                + "KEYDIR is a private directory under " + filesDir + ", removed when the run ends"));
        return out;
    }

    @Override
    public void verify() {
        dev.jxen.system.ToolCheck.require("ssh-keygen", "to make the guest's SSH host keys");
    }

    @Override
    public HostIdentity run(StageContext ctx) throws Exception {
        Files.createDirectories(filesDir);
        Path keys = Files.createTempDirectory(filesDir, spec.hostname().fqdn() + ".keys.",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ctx.undo().cleanup(new SystemUndo.RemoveTree(keys));
        HostKeys.make(ctx, keys, spec.hostname().fqdn());
        List<String> fingerprints = HostKeys.fingerprints(keys);
        fingerprints.forEach(fp -> ctx.info("SSH host key " + fp));
        return new HostIdentity(null, fingerprints, HostKeys.publicKeys(keys), keys);
    }
}
