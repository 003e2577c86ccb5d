package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.guest.GuestRoot;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.MountedRoot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Sets the root password: --passwd (asked on the terminal), --password, or a generated one
 * (--genpass, the default). It is hashed here (SHA-512 crypt unless --hash_method sha256) and written
 * straight into the guest's /etc/shadow: it never goes through a command line, a hook or the log.
 */
public final class AccountsStage implements Stage<Accounts> {
    private final ImageSpec spec;
    private final StageResult<MountedRoot> mounted;

    public AccountsStage(ImageSpec spec, StageResult<MountedRoot> mounted) {
        this.spec = spec;
        this.mounted = mounted;
    }

    @Override
    public String name() {
        return "accounts";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        var a = spec.accounts();
        String how = a.passwdPrompt() ? "asked on the terminal" : a.password() != null ? "from --password"
                : a.genpass() ? "generated, " + a.genpassLen() + " characters, shown once at the end" : "none: root stays locked";
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.write("MOUNTPOINT/etc/shadow", "root password " + how + ", " + a.hashMethod() + "-crypt"
                + (spec.install().enabled() ? "" : ", if the disk holds one (--install=0 installs no base system)")));
        if (!a.authorizedKeys().isEmpty()) {
            out.add(PlannedAction.write("MOUNTPOINT/root/.ssh/authorized_keys", a.authorizedKeys().size() + " key(s) from --authorized-keys"));
        }
        if (a.passwordFile() != null && a.genpass() && a.password() == null && !a.passwdPrompt()) {
            out.add(PlannedAction.write(a.passwordFile().toString(), "the generated root password, mode 0600"));
        }
        if (a.copyAccounts()) {
            out.add(PlannedAction.write("MOUNTPOINT/etc/passwd, shadow, group", "the dom0's users with uid 1000-59999 (--accounts)"));
        }
        return out;
    }

    @Override
    public Accounts run(StageContext ctx) throws Exception {
        var a = spec.accounts();
        GuestRoot root = GuestRoot.at(ctx.get(mounted).root());
        if (a.copyAccounts()) {
            List<String> users = Dom0Accounts.copy(Dom0Accounts.DOM0_ETC, root);
            ctx.info(users.isEmpty() ? "--accounts: the dom0 has no users to copy" : "--accounts: copied " + String.join(", ", users));
        }
        if (!a.authorizedKeys().isEmpty()) {
            root.directory("root/.ssh");
            root.chown("root/.ssh", 0, 0, "rwx------");
            root.writeAnew("root/.ssh/authorized_keys", String.join("\n", a.authorizedKeys()) + "\n", "rw-------");
            ctx.info("root accepts " + a.authorizedKeys().size() + " SSH key(s) from --authorized-keys");
        }
        if (!spec.install().enabled() && !root.exists("etc/shadow")) {
            String why = "no base system (--install=0) and no /etc/shadow in the guest: no root password set";
            if (a.password() != null || a.passwdPrompt()) {
                ctx.warn((a.passwdPrompt() ? "--passwd" : "--password") + ": not used: " + why);
            } else {
                ctx.info(why);
            }
            return new Accounts(null, "not set: no base system (--install=0)", null);
        }
        RootPassword chosen = RootPassword.choose(spec, ctx);
        if (chosen.password() == null) {
            ctx.info("no root password given and --genpass=0: root cannot log in with a password");
            return new Accounts(null, chosen.how(), null);
        }
        String password = chosen.password();
        ctx.events().redactor().addSecret(password);
        String crypt = ShaCrypt.hash(password, a.hashMethod());
        setRootHash(root, crypt);
        ctx.info("root password set (" + chosen.how() + ", " + a.hashMethod() + "-crypt)");
        return new Accounts(chosen.generated(), chosen.how(), crypt);
    }

    /** Replaces root's hash in the guest's shadow file, keeping its mode, by writing a new file and renaming it. */
    static void setRootHash(GuestRoot root, String hash) throws IOException {
        List<String> lines = new ArrayList<>(root.readLines("etc/shadow"));
        boolean found = false;
        long days = System.currentTimeMillis() / 86_400_000L;
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(":", -1);
            if (f.length >= 3 && f[0].equals("root")) {
                f[1] = hash;
                f[2] = String.valueOf(days);
                lines.set(i, String.join(":", f));
                found = true;
            }
        }
        if (!found) {
            throw new IOException("the guest's /etc/shadow has no root entry");
        }
        root.write("etc/shadow", String.join("\n", lines) + "\n", "rw-r-----");
        // its owner and group stay (Debian's shadow group reads it), but no tree's mode makes the new hash world-readable
        Path shadow = root.resolve("etc/shadow");
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(shadow, LinkOption.NOFOLLOW_LINKS);
        if (mode.removeAll(Set.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE))) {
            Files.setPosixFilePermissions(shadow, mode);
        }
    }
}
