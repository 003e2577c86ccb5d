package dev.jxen.lifecycle;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.customize.AccountsStage;
import dev.jxen.customize.Dom0HostsStage;
import dev.jxen.customize.GuestFilesStage;
import dev.jxen.customize.HookStage;
import dev.jxen.customize.HostIdentityStage;
import dev.jxen.customize.RoleStage;
import dev.jxen.guest.Sandbox;
import dev.jxen.install.BaseInstallStage;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.Stage;
import dev.jxen.render.DomUConfigStage;
import dev.jxen.storage.ExistingDeviceStage;
import dev.jxen.storage.FilesystemStage;
import dev.jxen.storage.ImageFileStage;
import dev.jxen.storage.LvmVolumeStage;
import dev.jxen.storage.MountStage;
import dev.jxen.storage.UnmountStage;
import dev.jxen.storage.ZfsVolumeStage;
import dev.jxen.xen.XlCreateStage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code jxen-create-image}: the stages of a create, in order. */
public final class CreateGuest {
    private CreateGuest() {
    }

    public static Pipeline pipeline(ImageSpec spec, ConfigSources sources) {
        Sandbox.Policy sandbox = sandboxPolicy(spec, sources);
        List<Path> roleDirs = List.of(Path.of(spec.customize().roledir()), sources.home().resolve("roles"));
        List<Stage<?>> s = new ArrayList<>();
        s.add(switch (spec.storage().target()) {
            case DIR -> new ImageFileStage();
            case LVM -> new LvmVolumeStage();
            case ZPOOL -> new ZfsVolumeStage();
            case IMAGE_DEV -> new ExistingDeviceStage();
        });
        s.add(new FilesystemStage());
        s.add(new MountStage());
        s.add(new BaseInstallStage());
        s.add(new HostIdentityStage());
        s.add(new GuestFilesStage(sources));
        s.add(new HookStage(sources, sandbox));
        s.add(new RoleStage(roleDirs, false, sandbox, sources.hookLib()));
        s.add(new AccountsStage());
        s.add(new Dom0HostsStage());
        s.add(new DomUConfigStage(sources));
        if (!spec.customize().finalRoles().isEmpty()) {
            s.add(new RoleStage(roleDirs, true, sandbox, sources.hookLib()));
        }
        s.add(new UnmountStage());
        if (spec.domain().boot()) {
            s.add(new XlCreateStage());
        }
        return new Pipeline(spec, s);
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
