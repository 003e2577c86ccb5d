package dev.jxen.pipeline;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.customize.AccountsStage;
import dev.jxen.customize.Dom0HostsStage;
import dev.jxen.customize.GuestFilesStage;
import dev.jxen.customize.HookStage;
import dev.jxen.customize.HostIdentityStage;
import dev.jxen.customize.RoleStage;
import dev.jxen.install.BaseInstallStage;
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

/** The stages of {@code jxen-create-image}, in order. */
public final class CreatePipeline {
    private CreatePipeline() {
    }

    public static Pipeline of(ImageSpec spec, ConfigSources sources) {
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
        s.add(new HookStage(sources));
        List<Path> roleDirs = List.of(Path.of(spec.customize().roledir()), sources.home().resolve("roles"));
        s.add(new RoleStage(roleDirs));
        s.add(new AccountsStage());
        s.add(new Dom0HostsStage());
        s.add(new DomUConfigStage(sources));
        if (!spec.customize().finalRoles().isEmpty()) {
            s.add(new RoleStage(roleDirs, true));
        }
        s.add(new UnmountStage());
        if (spec.domain().boot()) {
            s.add(new XlCreateStage());
        }
        return new Pipeline(spec, s);
    }
}
