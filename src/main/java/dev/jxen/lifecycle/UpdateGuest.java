package dev.jxen.lifecycle;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.customize.HookStage;
import dev.jxen.customize.RoleStage;
import dev.jxen.customize.UpgradeStage;
import dev.jxen.guest.Sandbox;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.GuestDisks;
import dev.jxen.storage.MountedRoot;
import dev.jxen.storage.CfgDisksStage;
import dev.jxen.storage.MountStage;
import dev.jxen.storage.UnmountStage;
import dev.jxen.system.HostPaths;
import dev.jxen.xen.DomUConfigFile;
import dev.jxen.xen.GuestStoppedStage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** @param force go on when xl cannot tell whether the guest runs (never when it runs) */
    public static Pipeline pipeline(ImageSpec spec, Path cfg, ConfigSources sources, Steps steps, boolean force, HostPaths host) {
        Sandbox.Policy sandbox = new Sandbox.Policy(sources.sandboxScript(), Sandbox.Trust.UNTRUSTED, storageOf(cfg));
        Pipeline.Builder p = Pipeline.builder(false, host.faultAfterStage());
        p.add(new GuestStoppedStage(spec.hostname().fqdn(), force, host));
        StageResult<GuestDisks> disks = p.add(new CfgDisksStage(cfg));
        StageResult<MountedRoot> mounted = p.add(new MountStage(spec, disks, true, host.workDir()));
        if (steps.upgrade()) {
            p.add(new UpgradeStage(sandbox, mounted));
        }
        if (steps.hooks()) {
            p.add(new HookStage(spec, sources, sandbox, mounted, null));
        }
        if (steps.roles()) {
            p.add(new RoleStage(spec, List.of(Path.of(spec.customize().roledir()), sources.home().resolve("roles")), false, sandbox,
                    sources.hookLib(), mounted, null));
        }
        p.add(new UnmountStage(mounted));
        return p.build();
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
