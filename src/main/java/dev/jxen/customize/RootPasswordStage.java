package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The root password when the Debian Installer sets it (--install-method installer): chosen as
 * {@link AccountsStage} chooses it, and kept only as its hash, which goes into the preseed.
 */
public final class RootPasswordStage implements Stage<Accounts> {
    private final ImageSpec spec;

    public RootPasswordStage(ImageSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "root password";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        var a = spec.accounts();
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.note("root password " + (a.passwdPrompt() ? "asked on the terminal" : a.password() != null ? "from --password"
                : a.genpass() ? "generated, " + a.genpassLen() + " characters, shown once at the end" : "none: root stays locked")
                + ", given to the installer as its " + a.hashMethod() + "-crypt hash only"));
        if (a.passwordFile() != null && a.genpass() && a.password() == null && !a.passwdPrompt()) {
            out.add(PlannedAction.write(a.passwordFile().toString(), "the generated root password, mode 0600"));
        }
        return out;
    }

    @Override
    public Accounts run(StageContext ctx) throws Exception {
        RootPassword chosen = RootPassword.choose(spec, ctx);
        if (chosen.password() == null) {
            ctx.info("no root password given and --genpass=0: the installer leaves root locked");
            return new Accounts(null, chosen.how(), null);
        }
        ctx.info("root password " + chosen.how() + ", for the installer as its " + spec.accounts().hashMethod() + "-crypt hash");
        return new Accounts(chosen.generated(), chosen.how(), ShaCrypt.hash(chosen.password(), spec.accounts().hashMethod()));
    }
}
