package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
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
    static final List<String[]> KEY_TYPES = List.of(new String[] {"ed25519", ""}, new String[] {"ecdsa", "521"}, new String[] {"rsa", "3072"});

    @Override
    public String name() {
        return "identity";
    }

    static Command keygen(Path root, String host, String[] type) {
        List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type[0]));
        if (!type[1].isEmpty()) {
            argv.addAll(List.of("-b", type[1]));
        }
        argv.addAll(List.of("-N", "", "-C", "root@" + host, "-f", root.resolve("etc/ssh/ssh_host_" + type[0] + "_key").toString()));
        return Command.of(argv);
    }

    @Override
    public List<PlannedAction> plan(ImageSpec spec) {
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.write("MOUNTPOINT/etc/hostname", spec.hostname().shortName()));
        out.add(PlannedAction.write("MOUNTPOINT/etc/machine-id", "a new random id"));
        for (String[] t : KEY_TYPES) {
            out.add(PlannedAction.run(keygen(Path.of("MOUNTPOINT"), spec.hostname().fqdn(), t)));
        }
        return out;
    }

    @Override
    public void verify(ImageSpec spec) {
        ToolCheck.require("ssh-keygen", "to make the guest's SSH host keys");
    }

    @Override
    public HostIdentity run(StageContext ctx) throws Exception {
        Path root = ctx.result(MountedRoot.class).root();
        ImageSpec spec = ctx.spec();
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), spec.hostname().shortName() + "\n");
        Files.writeString(root.resolve("etc/mailname"), spec.hostname().fqdn() + "\n");
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[16];
        random.nextBytes(id);
        String machineId = HexFormat.of().formatHex(id);
        Files.writeString(root.resolve("etc/machine-id"), machineId + "\n");
        Path dbus = root.resolve("var/lib/dbus/machine-id");
        if (Files.isDirectory(dbus.getParent()) && !Files.exists(dbus, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(dbus, Path.of("/etc/machine-id"));
        }
        Path seedDir = root.resolve("var/lib/systemd");
        if (Files.isDirectory(seedDir)) {
            byte[] seed = new byte[512];
            random.nextBytes(seed);
            Path seedFile = seedDir.resolve("random-seed");
            Files.write(seedFile, seed);
            Files.setPosixFilePermissions(seedFile, PosixFilePermissions.fromString("rw-------"));
        }
        List<String> fingerprints = new ArrayList<>();
        if (Files.isDirectory(root.resolve("etc/ssh"))) {
            for (String[] t : KEY_TYPES) {
                ctx.run(keygen(root, spec.hostname().fqdn(), t));
                String fp = ctx.run(Command.of("ssh-keygen", "-l", "-f", root.resolve("etc/ssh/ssh_host_" + t[0] + "_key.pub").toString()).capturing()).stdout().strip();
                fingerprints.add(fp);
                ctx.info("SSH host key " + fp);
            }
        } else {
            ctx.warn("the guest has no /etc/ssh: no SSH host keys made");
        }
        return new HostIdentity(machineId, List.copyOf(fingerprints));
    }
}
