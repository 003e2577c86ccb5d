package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.guest.GuestRoot;
import dev.jxen.pipeline.PlannedAction;
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
    static final List<String[]> KEY_TYPES = List.of(new String[] {"ed25519", ""}, new String[] {"ecdsa", "521"}, new String[] {"rsa", "3072"});

    public HostIdentityStage(ImageSpec spec, StageResult<MountedRoot> mounted) {
        this.spec = spec;
        this.mounted = mounted;
    }

    @Override
    public String name() {
        return "identity";
    }

    static Command keygen(Path dir, String host, String[] type) {
        List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type[0]));
        if (!type[1].isEmpty()) {
            argv.addAll(List.of("-b", type[1]));
        }
        argv.addAll(List.of("-N", "", "-C", "root@" + host, "-f", dir.resolve("ssh_host_" + type[0] + "_key").toString()));
        return Command.of(argv);
    }

    @Override
    public List<PlannedAction> plan() {
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.write("MOUNTPOINT/etc/hostname", spec.hostname().shortName()));
        out.add(PlannedAction.write("MOUNTPOINT/etc/machine-id", "a new random id"));
        for (String[] t : KEY_TYPES) {
            out.add(PlannedAction.run(keygen(Path.of("KEYDIR"), spec.hostname().fqdn(), t)));
        }
        out.add(PlannedAction.write("MOUNTPOINT/etc/ssh/", "the new host keys, made at once in a private directory KEYDIR on the dom0"));
        return out;
    }

    @Override
    public void verify() {
        ToolCheck.require("ssh-keygen", "to make the guest's SSH host keys");
    }

    /** The three keys at once: the RSA key takes most of the time, the others need not wait for it. */
    private void makeKeys(StageContext ctx, Path keys) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String[] t : KEY_TYPES) {
            Thread th = new Thread(() -> {
                try {
                    ctx.run(keygen(keys, spec.hostname().fqdn(), t));
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, "ssh-keygen-" + t[0]);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
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
            guest.write("var/lib/systemd/random-seed", seed, "rw-------");
        }
        List<String> fingerprints = new ArrayList<>();
        List<String> publicKeys = new ArrayList<>();
        if (guest.isDirectory("etc/ssh")) {
            Path keys = Files.createTempDirectory("jxen-hostkeys-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                makeKeys(ctx, keys);
                for (String[] t : KEY_TYPES) {
                    String name = "ssh_host_" + t[0] + "_key";
                    String fp = SshFingerprint.of(Files.readString(keys.resolve(name + ".pub")));
                    guest.write("etc/ssh/" + name, Files.readAllBytes(keys.resolve(name)), "rw-------");
                    guest.write("etc/ssh/" + name + ".pub", Files.readAllBytes(keys.resolve(name + ".pub")), "rw-r--r--");
                    fingerprints.add(fp);
                    publicKeys.add(Files.readString(keys.resolve(name + ".pub")).strip());
                    ctx.info("SSH host key " + fp);
                }
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
}
