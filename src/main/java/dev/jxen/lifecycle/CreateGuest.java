package dev.jxen.lifecycle;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.PartitionSpec;
import dev.jxen.config.StorageTarget;
import dev.jxen.contact.KnownHostsStage;
import dev.jxen.contact.SshReadyStage;
import dev.jxen.customize.Accounts;
import dev.jxen.customize.AccountsStage;
import dev.jxen.customize.Dom0HostsStage;
import dev.jxen.customize.GuestFacts;
import dev.jxen.customize.GuestFilesStage;
import dev.jxen.customize.GuestKernelStage;
import dev.jxen.customize.ConsoleStage;
import dev.jxen.customize.Dom0SettingsStage;
import dev.jxen.customize.HookStage;
import dev.jxen.customize.SkelStage;
import dev.jxen.customize.HostIdentity;
import dev.jxen.customize.HostIdentityStage;
import dev.jxen.customize.HostKeysStage;
import dev.jxen.customize.InstallerHostKeysStage;
import dev.jxen.customize.RoleStage;
import dev.jxen.customize.RootPasswordStage;
import dev.jxen.error.HostStateException;
import dev.jxen.guest.Sandbox;
import dev.jxen.install.BaseCacheStage;
import dev.jxen.install.BaseInstallStage;
import dev.jxen.install.BaseLookup;
import dev.jxen.install.BaseRecipe;
import dev.jxen.install.BaseStoreStage;
import dev.jxen.install.BaseTree;
import dev.jxen.install.RootCloneStage;
import dev.jxen.installer.InstallerImages;
import dev.jxen.installer.InstallerImagesStage;
import dev.jxen.installer.InstallerRunStage;
import dev.jxen.installer.PreseedStage;
import dev.jxen.installer.Preseeded;
import dev.jxen.mirror.MirrorAnswer;
import dev.jxen.mirror.MirrorCheckStage;
import dev.jxen.mirror.ReleaseHistory;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.render.DomUConfig;
import dev.jxen.render.DomUConfigStage;
import dev.jxen.render.PublishConfigStage;
import dev.jxen.storage.CheckFilesystemsStage;
import dev.jxen.storage.DiscardOldGuestStage;
import dev.jxen.storage.ExistingDeviceStage;
import dev.jxen.storage.FilesystemStage;
import dev.jxen.storage.GuestDisks;
import dev.jxen.storage.GuestStorage;
import dev.jxen.storage.ImageFileStage;
import dev.jxen.storage.LvmVolumeStage;
import dev.jxen.storage.MountStage;
import dev.jxen.storage.MountedRoot;
import dev.jxen.storage.RootClone;
import dev.jxen.storage.StorageInUseStage;
import dev.jxen.storage.StoragePaths;
import dev.jxen.storage.SwapStorageStage;
import dev.jxen.storage.UnmountStage;
import dev.jxen.storage.ZfsVolumeStage;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.Dom0Paths;
import dev.jxen.xen.DomUConfigFile;
import dev.jxen.xen.GuestConfigs;
import dev.jxen.xen.GuestStoppedStage;
import dev.jxen.xen.XlCreateStage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code jxen-create-image}: the stages of a create, in order, and the keys of the results its
 * summary reports. A --force create of a guest that exists builds the new one beside it, swaps it in
 * only when every stage has succeeded, and removes the old one last; a failure anywhere leaves the
 * old guest as it was.
 */
public record CreateGuest(Pipeline pipeline, StageResult<BaseTree> base, StageResult<HostIdentity> identity,
                          StageResult<Accounts> accounts, StageResult<DomUConfig> cfg, StageResult<SshReadyStage.Ready> ssh) {

    public static CreateGuest assemble(ImageSpec spec, ConfigSources sources, Dom0Paths dom0, CommandRunner runner) throws IOException {
        Sandbox.Policy sandbox = sandboxPolicy(spec, sources, dom0.workDir());
        List<Path> roleDirs = List.of(Path.of(spec.customize().roledir()), sources.home().resolve("roles"));
        Path cfgFile = spec.domain().configFile(spec.hostname());
        String name = spec.hostname().fqdn();
        boolean replacing = spec.run().force() && exists(spec);
        Pipeline.Builder p = Pipeline.builder(spec.run().keep(), dom0.faultAfterStage());
        GuestStorage old = null;
        if (replacing) {
            old = oldGuest(spec, cfgFile, runner);
            p.add(new GuestStoppedStage(name, cfgFile, true, dom0));
            p.add(new StorageInUseStage(name, old));
        }
        if (GuestDisks.installerPartitions(spec)) {
            return withInstaller(spec, sources, dom0, p, replacing, old, cfgFile, runner);
        }
        StageResult<MirrorAnswer> mirror = BaseRecipe.fromMirror(spec)
                ? p.add(new MirrorCheckStage(spec.install().mirror().orElseThrow(), spec.install().dist(), spec.install().aptProxy(),
                        archiveKeyring(spec), new ReleaseHistory(dom0.releaseDates()))) : StageResult.absent("mirror");
        StoragePaths.Name storageName = replacing ? StoragePaths.Name.NEW : StoragePaths.Name.FINAL;
        StageResult<HostKeysStage.Pending> keys = BaseRecipe.fromMirror(spec) ? p.add(new HostKeysStage(spec)) : StageResult.absent("host keys");
        StageResult<Optional<RootClone>> clone = RootCloneStage.applies(spec) ? p.add(new RootCloneStage(spec, mirror, storageName))
                : StageResult.absent("base image");
        StageResult<GuestDisks> disks = p.add(storage(spec, storageName, clone, dom0.lockDir()));
        p.add(new FilesystemStage(spec, disks, clone));
        StageResult<MountedRoot> mounted = p.add(MountStage.forNewGuest(spec, disks, dom0.workDir()));
        StageResult<BaseLookup> lookup = BaseRecipe.cached(spec) ? p.add(new BaseCacheStage(spec, mounted, mirror, clone))
                : StageResult.absent("base cache");
        StageResult<BaseTree> base = p.add(new BaseInstallStage(spec, mounted, mirror, lookup, sources.mmdebstrapPrefetch()));
        if (BaseRecipe.cached(spec)) {
            p.add(new BaseStoreStage(spec, mounted, lookup));
        }
        StageResult<HostIdentity> identity = p.add(new HostIdentityStage(spec, mounted, keys));
        p.add(new GuestFilesStage(spec, sources, mounted, dom0.dom0Hosts()));
        String givenMirror = spec.install().mirror().orElse(null);
        Function<StageContext, GuestFacts> facts = ctx -> GuestFacts.of(spec, ctx.find(base).flatMap(BaseTree::mirror).orElse(givenMirror));
        if (spec.install().enabled() && spec.customize().hooks()) {
            // as xen-tools' hooks, which customize an installed system (--install=0 installs none), unless --hooks=0
            p.add(new ConsoleStage(spec.domain().serialDevice(), mounted));
            p.add(new Dom0SettingsStage(dom0.dom0Etc(), sandbox, mounted));
            p.add(new SkelStage(sources.configDir().resolve("skel"), mounted));
            p.add(new HookStage(sources, sandbox, mounted, GuestFacts.of(spec, givenMirror), facts));
        }
        p.add(new RoleStage(spec.customize(), roleDirs, false, sandbox, sources.hookLib(), mounted, facts));
        if (spec.install().enabled() && spec.domain().start().path().guestKernel()) {
            p.add(new GuestKernelStage(spec, mounted));
        }
        StageResult<Accounts> accounts = p.add(new AccountsStage(spec, mounted));
        addressed(p, spec, dom0, identity);
        StageResult<DomUConfig> cfg = p.add(new DomUConfigStage(spec, sources, replacing, runner));
        if (replacing) {
            p.add(new SwapStorageStage(spec));
            p.add(new PublishConfigStage(cfgFile));
        }
        if (!spec.customize().finalRoles().isEmpty()) {
            p.add(new RoleStage(spec.customize(), roleDirs, true, sandbox, sources.hookLib(), mounted, facts));
        }
        p.add(new UnmountStage(mounted));
        p.add(new CheckFilesystemsStage(spec));
        if (replacing) {
            p.add(new DiscardOldGuestStage(spec, old, DomUConfigStage.aside(cfgFile)));
        }
        StageResult<SshReadyStage.Ready> ssh = booted(p, spec, dom0, identity);
        return new CreateGuest(p.build(), base, identity, accounts, cfg, ssh);
    }

    /**
     * The Debian Installer route: the installer, verified, and its preseed; one disk, which the
     * installer partitions and installs onto as the guest's domain; then the .cfg, as every create.
     */
    private static CreateGuest withInstaller(ImageSpec spec, ConfigSources sources, Dom0Paths dom0, Pipeline.Builder p,
                                             boolean replacing, GuestStorage old, Path cfgFile, CommandRunner runner) {
        var in = spec.install();
        p.add(new MirrorCheckStage(in.mirror().orElseThrow(), in.dist(), in.aptProxy(), archiveKeyring(spec), new ReleaseHistory(dom0.releaseDates())));
        StageResult<InstallerImages.Verified> images = p.add(new InstallerImagesStage(spec, dom0.installerCache(), dom0.workDir(), new ReleaseHistory(dom0.releaseDates())));
        StageResult<Accounts> accounts = p.add(new RootPasswordStage(spec));
        Path filesDir = dom0.installerFiles();
        StageResult<HostIdentity> identity = p.add(new InstallerHostKeysStage(spec, filesDir));
        StoragePaths.Name storageName = replacing ? StoragePaths.Name.NEW : StoragePaths.Name.FINAL;
        StageResult<Preseeded> preseed = p.add(new PreseedStage(spec, sources, filesDir, images, accounts, identity, storageName));
        p.add(storage(spec, storageName, StageResult.absent("base image"), dom0.lockDir()));
        p.add(new InstallerRunStage(spec, dom0.xl(), preseed));
        addressed(p, spec, dom0, identity);
        StageResult<DomUConfig> cfg = p.add(new DomUConfigStage(spec, sources, replacing, runner));
        if (replacing) {
            p.add(new SwapStorageStage(spec));
            p.add(new PublishConfigStage(cfgFile));
            p.add(new DiscardOldGuestStage(spec, old, DomUConfigStage.aside(cfgFile)));
        }
        StageResult<SshReadyStage.Ready> ssh = booted(p, spec, dom0, identity);
        return new CreateGuest(p.build(), StageResult.absent("base install"), identity, accounts, cfg, ssh);
    }

    /** The guest's address on the dom0: its /etc/hosts line, and its host keys in --known-hosts. */
    private static void addressed(Pipeline.Builder p, ImageSpec spec, Dom0Paths dom0, StageResult<HostIdentity> identity) {
        p.add(new Dom0HostsStage(spec, dom0.dom0Hosts(), dom0.lockDir()));
        if (spec.domain().after().knownHosts() != null) {
            p.add(new KnownHostsStage(spec, spec.network().ips().get(0).address(), identity, dom0.lockDir()));
        }
    }

    /** With --boot, xl create; with --wait-ssh, first contact: the result of that, else an absent one. */
    private static StageResult<SshReadyStage.Ready> booted(Pipeline.Builder p, ImageSpec spec, Dom0Paths dom0, StageResult<HostIdentity> identity) {
        if (!spec.domain().after().boot()) {
            return StageResult.absent("ssh ready");
        }
        StageResult<XlCreateStage.Started> started = p.add(new XlCreateStage(spec, dom0.xl()));
        return spec.domain().after().waitSsh() == null ? StageResult.absent("ssh ready")
                : p.add(new SshReadyStage(spec, spec.network().ips().get(0).address(), identity, started));
    }

    /** True when a guest of this name has a .cfg or any of the storage a create would make. */
    static boolean exists(ImageSpec spec) {
        if (Files.exists(spec.domain().configFile(spec.hostname()), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (spec.storage().target() == ImageSpec.Target.IMAGE_DEV) {
            return false;
        }
        return GuestDisks.layout(spec).disks().stream().anyMatch(d -> Files.exists(Path.of(d.path()), LinkOption.NOFOLLOW_LINKS));
    }

    /** What the guest being replaced owns: by its .cfg, else by the names of the new layout. */
    private static GuestStorage oldGuest(ImageSpec spec, Path cfgFile, CommandRunner runner) throws IOException {
        Optional<DomUConfigFile> cfg = Files.isRegularFile(cfgFile) ? Optional.of(DomUConfigFile.read(cfgFile)) : Optional.empty();
        StorageTarget location = spec.storage().target() == ImageSpec.Target.IMAGE_DEV ? null : spec.storage().where();
        List<String> names = spec.storage().partitions().stream().map(PartitionSpec::name).toList();
        GuestConfigs all = GuestConfigs.in(cfgFile.getParent(), spec.domain().extension());
        if (!all.skipped().isEmpty()) {
            // a disk another guest may name cannot be told from this guest's own
            throw new HostStateException("cannot read another guest's .cfg: " + String.join("; ", all.skipped()),
                    "fix or move that file, then replace " + spec.hostname() + " again");
        }
        List<DomUConfigFile> others = all.except(cfgFile);
        return GuestStorage.find(spec.hostname().fqdn(), cfg, location, names, others, runner);
    }

    private static Stage<GuestDisks> storage(ImageSpec spec, StoragePaths.Name name, StageResult<Optional<RootClone>> clone, Path lockDir) {
        return switch (spec.storage().target()) {
            case DIR -> new ImageFileStage(spec, name, clone);
            case LVM -> new LvmVolumeStage(spec, name, clone, lockDir);
            case ZPOOL -> new ZfsVolumeStage(spec, name);
            case IMAGE_DEV -> new ExistingDeviceStage(spec);
        };
    }

    /** The keyring the release's InRelease is checked against: --keyring, else the family's archive keyring. */
    static Path archiveKeyring(ImageSpec spec) {
        String given = spec.install().keyring();
        return Path.of(given != null ? given : "/usr/share/keyrings/" + spec.install().family() + "-archive-keyring.gpg");
    }

    /**
     * A tree that jxen installs from the mirror (or its cache of one) is trusted; a copy or tar
     * source, or whatever is on the disks with --install=0, is not, and its sandbox may fetch from the
     * mirror of the spec alone.
     */
    static Sandbox.Policy sandboxPolicy(ImageSpec spec, ConfigSources sources, Path workDir) {
        var in = spec.install();
        boolean fresh = in.enabled() && in.method().fromMirror();
        return new Sandbox.Policy(sources.sandboxScript(), sources.jailScript(), sources.hookLib(), fresh ? Sandbox.Trust.FRESH : Sandbox.Trust.UNTRUSTED,
                workDir, spec.hostname().fqdn(), SandboxMirrors.of(in.mirror(), Optional.empty()), in.aptProxy());
    }
}
