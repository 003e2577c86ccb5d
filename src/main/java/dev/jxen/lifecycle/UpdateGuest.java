package dev.jxen.lifecycle;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.customize.HookStage;
import dev.jxen.customize.RoleStage;
import dev.jxen.customize.UpgradeStage;
import dev.jxen.guest.Sandbox;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.Stage;
import dev.jxen.storage.CfgDisksStage;
import dev.jxen.storage.MountStage;
import dev.jxen.storage.UnmountStage;
import dev.jxen.xen.DomUConfigFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code jxen-update-image}: the stages of an update of a stopped guest. The guest has run, so what
 * is on its disks is untrusted: its fstab is checked, its disks are mounted nodev and nosuid, and
 * everything that runs in it does so in the sandbox of an untrusted guest.
 */
public final class UpdateGuest {
    private UpdateGuest() {
    }

    /** What to do to the guest. */
    public record Steps(boolean upgrade, boolean hooks, boolean roles) {
    }

    public static Pipeline pipeline(ImageSpec spec, Path cfg, ConfigSources sources, Steps steps) {
        Sandbox.Policy sandbox = new Sandbox.Policy(sources.sandboxScript(), Sandbox.Trust.UNTRUSTED, storageOf(cfg));
        List<Stage<?>> s = new ArrayList<>(List.of(new CfgDisksStage(cfg), new MountStage(true)));
        if (steps.upgrade()) {
            s.add(new UpgradeStage(sandbox));
        }
        if (steps.hooks()) {
            s.add(new HookStage(sources, sandbox));
        }
        if (steps.roles()) {
            s.add(new RoleStage(List.of(Path.of(spec.customize().roledir()), sources.home().resolve("roles")), false, sandbox, sources.hookLib()));
        }
        s.add(new UnmountStage());
        return new Pipeline(spec, s);
    }

    /** The directories holding the guest's image files, which its commands must not see. */
    static List<Path> storageOf(Path cfg) {
        Set<Path> dirs = new LinkedHashSet<>();
        if (Files.isRegularFile(cfg)) {
            try {
                for (String t : DomUConfigFile.read(cfg).diskTargets()) {
                    Path p = Path.of(t).getParent();
                    if (t.startsWith("/") && !t.startsWith("/dev/") && p != null && p.getParent() != null) {
                        dirs.add(p.getParent().getFileName() != null && p.getParent().getFileName().toString().equals("domains") ? p.getParent() : p);
                    }
                }
            } catch (IOException e) {
                // an unreadable .cfg stops the update in its first stage
            }
        }
        return List.copyOf(dirs);
    }
}
