package dev.jxen.lifecycle;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.StorageTarget;
import dev.jxen.customize.GuestFacts;
import dev.jxen.customize.HookStage;
import dev.jxen.customize.ReadGuestStage;
import dev.jxen.customize.RoleStage;
import dev.jxen.customize.UpgradeStage;
import dev.jxen.guest.Sandbox;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.CfgDisksStage;
import dev.jxen.storage.GuestDisks;
import dev.jxen.storage.MountStage;
import dev.jxen.storage.MountedRoot;
import dev.jxen.storage.UnmountStage;
import dev.jxen.system.Dom0Paths;
import dev.jxen.xen.GuestStoppedStage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code jxen-update-image}: the stages of an update of a stopped guest. The guest has run, so what
 * is on its disks is untrusted: its fstab is checked, its disks are mounted nodev and nosuid, and
 * everything that runs in it does so in the sandbox of an untrusted guest.
 */
public final class UpdateGuest {
    private UpdateGuest() {
    }

    /**
     * What to do to which guest.
     *
     * @param cfg       its .cfg, which names its disks
     * @param location  where its root disk is when it has no .cfg (--dir, --lvm, --zpool), or null
     * @param upgrade   run apt-get update and upgrade in it
     * @param customize the hooks (when {@code hooks()}) and roles to run on it
     * @param dist      the release given with --dist, which wins over the guest's own word; or null
     * @param dom0Arch  the architecture reported when the guest does not name its own
     * @param settings  the configuration's keys, for the hooks' environment
     * @param force     go on when xl cannot tell whether the guest runs (never when it runs)
     * @param mirror    the mirror the guest's sandbox may fetch from: the configuration's, else the dom0's apt sources'; or empty
     */
    public record Request(String hostname, Path cfg, StorageTarget location, boolean upgrade, ImageSpec.CustomizeSpec customize, String dist, String dom0Arch,
                          Map<String, String> settings, boolean force, Optional<String> mirror) {
        public Request {
            settings = Map.copyOf(settings);
        }
    }

    public static Pipeline pipeline(Request r, ConfigSources sources, Dom0Paths dom0) {
        Sandbox.Policy sandbox = new Sandbox.Policy(sources.sandboxScript(), sources.jailScript(), sources.hookLib(), Sandbox.Trust.UNTRUSTED, dom0.workDir(),
                r.hostname(), SandboxMirrors.of(r.mirror(), Optional.ofNullable(r.settings().get("security_mirror"))),
                Optional.ofNullable(r.settings().get("apt_proxy")).filter(p -> !p.isBlank()));
        Pipeline.Builder p = Pipeline.builder(false, dom0.faultAfterStage());
        p.add(new GuestStoppedStage(r.hostname(), r.cfg(), r.force(), dom0));
        StageResult<GuestDisks> disks = p.add(new CfgDisksStage(r.cfg(),
                r.location() == null ? null : r.location().path(r.hostname(), "disk")));
        StageResult<MountedRoot> mounted = p.add(MountStage.forExistingGuest(r.hostname(), disks, dom0.workDir()));
        var customize = r.customize();
        StageResult<GuestFacts> facts = customize.hooks() || !customize.roles().isEmpty()
                ? p.add(new ReadGuestStage(r.hostname(), r.cfg(), r.dist(), r.dom0Arch(), r.settings(), mounted, disks)) : null;
        if (r.upgrade()) {
            p.add(new UpgradeStage(sandbox, mounted));
        }
        if (customize.hooks()) {
            p.add(new HookStage(sources, sandbox, mounted, null, ctx -> ctx.get(facts)));
        }
        if (!customize.roles().isEmpty()) {
            p.add(new RoleStage(customize, List.of(Path.of(customize.roledir()), sources.home().resolve("roles")), false, sandbox,
                    sources.hookLib(), mounted, ctx -> ctx.get(facts)));
        }
        p.add(new UnmountStage(mounted));
        return p.build();
    }
}
