package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.guest.GuestRoot;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.Command;
import dev.jxen.system.ToolCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Gives the guest an identity of its own: host name, a fresh machine-id, a random seed, and new SSH
 * host keys (ed25519, ecdsa, rsa; never dsa). None of these ever comes from a cached base tree.
 */
public final class HostIdentityStage implements Stage<HostIdentity> {
    private final ImageSpec spec;
    private final StageResult<MountedRoot> mounted;
    private final StageResult<HostKeysStage.Pending> early;

    public HostIdentityStage(ImageSpec spec, StageResult<MountedRoot> mounted) {
        this(spec, mounted, StageResult.absent("host keys"));
    }

    /** @param early the host keys started at the start of the create; absent to make them here */
    public HostIdentityStage(ImageSpec spec, StageResult<MountedRoot> mounted, StageResult<HostKeysStage.Pending> early) {
        this.spec = spec;
        this.mounted = mounted;
        this.early = early;
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.write("MOUNTPOINT/etc/hostname", spec.hostname().shortName()));
        out.add(PlannedAction.write("MOUNTPOINT/etc/machine-id", "a new random id"));
        if (!spec.install().enabled()) {
            out.add(PlannedAction.note("--install=0: new SSH host keys only if the disk already holds /etc/ssh (as below)"));
        }
        if (!early.present()) {
            out.addAll(HostKeys.plan(spec.hostname().fqdn()));
            out.add(PlannedAction.write("MOUNTPOINT/etc/ssh/", "the new host keys, made at once in a private directory KEYDIR on the dom0"));
        } else {
            out.add(PlannedAction.write("MOUNTPOINT/etc/ssh/", "the new host keys, from KEYDIR (the host keys stage), once ssh-keygen has ended"));
        }
        return out;
    }

    @Override
    public void verify() {
        ToolCheck.require("ssh-keygen", "to make the guest's SSH host keys");
    }

    @Override
    public HostIdentity run(StageContext ctx) throws Exception {
        GuestRoot guest = GuestRoot.at(ctx.get(mounted).root());
        guest.write("etc/hostname", spec.hostname().shortName() + "\n", "rw-r--r--");
        guest.write("etc/mailname", spec.hostname().fqdn() + "\n", "rw-r--r--");
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[16];
        random.nextBytes(id);
        String machineId = HexFormat.of().formatHex(id);
        guest.write("etc/machine-id", machineId + "\n", "rw-r--r--");
        if (guest.isDirectory("var/lib/dbus") && !guest.exists("var/lib/dbus/machine-id")) {
            guest.symlink("var/lib/dbus/machine-id", "/etc/machine-id");
        }
        if (guest.isDirectory("var/lib/systemd")) {
            byte[] seed = new byte[512];
            random.nextBytes(seed);
            guest.writeAnew("var/lib/systemd/random-seed", seed, "rw-------");
        }
        List<String> fingerprints = new ArrayList<>();
        List<String> publicKeys = new ArrayList<>();
        if (early.present() && guest.isDirectory("etc/ssh")) {
            Path keys = ctx.get(early).await();
            copyKeys(ctx, guest, keys, fingerprints, publicKeys);
        } else if (guest.isDirectory("etc/ssh")) {
            Path keys = Files.createTempDirectory("jxen-hostkeys-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                HostKeys.make(ctx, keys, spec.hostname().fqdn());
                copyKeys(ctx, guest, keys, fingerprints, publicKeys);
            } finally {
                try (var s = Files.list(keys)) {
                    for (Path p : s.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(keys);
            }
        } else {
            ctx.warn("the guest has no /etc/ssh: no SSH host keys made");
        }
        return new HostIdentity(machineId, List.copyOf(fingerprints), List.copyOf(publicKeys));
    }

    private static void copyKeys(StageContext ctx, GuestRoot guest, Path keys, List<String> fingerprints, List<String> publicKeys)
            throws java.io.IOException {
        for (String name : HostKeys.FILES) {
            byte[] key = Files.readAllBytes(keys.resolve(name));
            if (name.endsWith(".pub")) {
                guest.write("etc/ssh/" + name, key, "rw-r--r--");
            } else {
                guest.writeAnew("etc/ssh/" + name, key, "rw-------");
            }
        }
        fingerprints.addAll(HostKeys.fingerprints(keys));
        publicKeys.addAll(HostKeys.publicKeys(keys));
        fingerprints.forEach(fp -> ctx.info("SSH host key " + fp));
    }
}
