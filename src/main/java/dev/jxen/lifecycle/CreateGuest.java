package dev.jxen.lifecycle;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.customize.Accounts;
import dev.jxen.customize.AccountsStage;
import dev.jxen.customize.Dom0HostsStage;
import dev.jxen.customize.GuestFilesStage;
import dev.jxen.customize.HookStage;
import dev.jxen.customize.HostIdentity;
import dev.jxen.customize.HostIdentityStage;
import dev.jxen.customize.RoleStage;
import dev.jxen.guest.Sandbox;
import dev.jxen.install.BaseInstallStage;
import dev.jxen.install.BaseTree;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageResult;
import dev.jxen.render.DomUConfig;
import dev.jxen.render.DomUConfigStage;
import dev.jxen.storage.ExistingDeviceStage;
import dev.jxen.storage.FilesystemStage;
import dev.jxen.storage.GuestDisks;
import dev.jxen.storage.ImageFileStage;
import dev.jxen.storage.LvmVolumeStage;
import dev.jxen.storage.MountStage;
import dev.jxen.storage.MountedRoot;
import dev.jxen.storage.UnmountStage;
import dev.jxen.storage.ZfsVolumeStage;
import dev.jxen.system.HostPaths;
import dev.jxen.xen.XlCreateStage;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code jxen-create-image}: the stages of a create, in order, and the keys of the results its
 * summary reports.
 */
public record CreateGuest(Pipeline pipeline, StageResult<BaseTree> base, StageResult<HostIdentity> identity,
                          StageResult<Accounts> accounts, StageResult<DomUConfig> cfg) {

    public static CreateGuest assemble(ImageSpec spec, ConfigSources sources, HostPaths host) {
        Sandbox.Policy sandbox = sandboxPolicy(spec, sources);
        List<Path> roleDirs = List.of(Path.of(spec.customize().roledir()), sources.home().resolve("roles"));
        Pipeline.Builder p = Pipeline.builder(spec.run().keep(), host.faultAfterStage());
        StageResult<GuestDisks> disks = p.add(storage(spec));
        p.add(new FilesystemStage(spec, disks));
        StageResult<MountedRoot> mounted = p.add(new MountStage(spec, disks, false, host.workDir()));
        StageResult<BaseTree> base = p.add(new BaseInstallStage(spec, mounted));
        StageResult<HostIdentity> identity = p.add(new HostIdentityStage(spec, mounted));
        p.add(new GuestFilesStage(spec, sources, mounted, host.dom0Hosts()));
        p.add(new HookStage(spec, sources, sandbox, mounted, base));
        p.add(new RoleStage(spec, roleDirs, false, sandbox, sources.hookLib(), mounted, base));
        StageResult<Accounts> accounts = p.add(new AccountsStage(spec, mounted));
        p.add(new Dom0HostsStage(spec, host.dom0Hosts()));
        StageResult<DomUConfig> cfg = p.add(new DomUConfigStage(spec, sources));
        if (!spec.customize().finalRoles().isEmpty()) {
            p.add(new RoleStage(spec, roleDirs, true, sandbox, sources.hookLib(), mounted, base));
        }
        p.add(new UnmountStage(mounted));
        if (spec.domain().boot()) {
            p.add(new XlCreateStage(spec, host.xl()));
        }
        return new CreateGuest(p.build(), base, identity, accounts, cfg);
    }

    private static Stage<GuestDisks> storage(ImageSpec spec) {
        return switch (spec.storage().target()) {
            case DIR -> new ImageFileStage(spec);
            case LVM -> new LvmVolumeStage(spec);
            case ZPOOL -> new ZfsVolumeStage(spec);
            case IMAGE_DEV -> new ExistingDeviceStage(spec);
        };
    }

    /**
     * A tree that jxen installs from the mirror (or its cache of one) is trusted; a copy or tar
     * source, or whatever is on the disks with --install=0, is not.
     */
    static Sandbox.Policy sandboxPolicy(ImageSpec spec, ConfigSources sources) {
        var in = spec.install();
        boolean fresh = in.enabled() && (in.method().equals("debootstrap") || in.method().equals("mmdebstrap"));
        List<Path> masks = spec.storage().target() == ImageSpec.Target.DIR
                ? List.of(Path.of(spec.storage().location(), "domains")) : List.of();
        return new Sandbox.Policy(sources.sandboxScript(), fresh ? Sandbox.Trust.FRESH : Sandbox.Trust.UNTRUSTED, masks);
    }
}
