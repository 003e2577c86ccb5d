package dev.jxen.installer;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.customize.Accounts;
import dev.jxen.customize.HostIdentity;
import dev.jxen.customize.HostKeys;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.render.InstallTimeConfig;
import dev.jxen.render.PreseedModel;
import dev.jxen.render.Templates;
import dev.jxen.storage.StoragePaths;
import dev.jxen.system.SystemUndo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * Renders the preseed ({@code preseed.cfg.ftl}) from the spec, appends it to a copy of the verified
 * initrd, and writes the install-time .cfg that starts the installer with them. The files are
 * root's only (the preseed holds the root password's hash) and removed when the run ends.
 */
public final class PreseedStage implements Stage<Preseeded> {
    /** The line the late command prints on the console when the install is complete. */
    public static final String INSTALLED_MARK = "JXEN-INSTALLED:";
    /** The line the early command prints: the installer read jxen's preseed. */
    public static final String PRESEED_MARK = "JXEN-PRESEED:";

    private final ImageSpec spec;
    private final ConfigSources sources;
    private final Path filesDir;
    private final StageResult<InstallerImages.Verified> images;
    private final StageResult<Accounts> accounts;
    private final StageResult<HostIdentity> identity;
    private final StoragePaths.Name storageName;

    /** @param filesDir where the private directory of this run's installer files is made */
    public PreseedStage(ImageSpec spec, ConfigSources sources, Path filesDir, StageResult<InstallerImages.Verified> images,
                        StageResult<Accounts> accounts, StageResult<HostIdentity> identity, StoragePaths.Name storageName) {
        this.storageName = storageName;
        this.identity = identity;
        this.spec = spec;
        this.sources = sources;
        this.filesDir = filesDir;
        this.images = images;
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "preseed";
    }

    public String installDisk() {
        return "/dev/" + spec.storage().diskBase();
    }

    /** The host keys jxen made replace the ones openssh-server made at its install; root's keys; then jxen's line. */
    String lateCommand() {
        String hostKeys = "cp /jxen/ssh_host_* /target/etc/ssh/; chmod 600 /target/etc/ssh/ssh_host_*_key; "
                + "chmod 644 /target/etc/ssh/ssh_host_*_key.pub; ";
        String rootKeys = spec.accounts().authorizedKeys().isEmpty() ? ""
                : "mkdir -p /target/root/.ssh; cp /jxen/authorized_keys /target/root/.ssh/authorized_keys; "
                + "chmod 700 /target/root/.ssh; chmod 600 /target/root/.ssh/authorized_keys; ";
        return hostKeys + rootKeys + "echo \"" + INSTALLED_MARK + " " + spec.hostname().shortName() + "\" > /dev/console";
    }

    String preseed(String rootHash) {
        Map<String, Object> model = PreseedModel.of(spec, installDisk(), rootHash, lateCommand());
        return new Templates(sources.templateDirs()).render("preseed.cfg.ftl", model);
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        Path dir = filesDir.resolve(spec.hostname().fqdn() + ".XXXX");
        return List.of(
                PlannedAction.show(dir.resolve("preseed.cfg").toString(), preseed("(the root password's hash)")),
                PlannedAction.write(dir.resolve("initrd.gz").toString(), "a copy of the verified initrd with preseed.cfg appended as a gzip'd cpio archive, "
                        + "with the guest's SSH host keys" + (spec.accounts().authorizedKeys().isEmpty() ? "" : " and root's authorized keys")
                        + " under /jxen for the late command"),
                PlannedAction.show(dir.resolve("install.cfg").toString(),
                        InstallTimeConfig.render(sources, spec, storageName, Path.of("CACHE/KERNEL-SHA256"), dir.resolve("initrd.gz"))));
    }

    @Override
    public void verify() {
        preseed("$6$salt$hash"); // a template error stops the create before anything is touched
    }

    @Override
    public Preseeded run(StageContext ctx) throws Exception {
        InstallerImages.Verified v = ctx.get(images);
        Accounts a = ctx.get(accounts);
        Files.createDirectories(filesDir);
        Path dir = Files.createTempDirectory(filesDir, spec.hostname().fqdn() + ".", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ctx.undo().cleanup(new SystemUndo.RemoveTree(dir));
        String preseed = preseed(a.crypt() == null ? "" : a.crypt());
        Files.writeString(dir.resolve("preseed.cfg"), preseed);
        Map<String, byte[]> files = new java.util.TreeMap<>();
        Path keys = ctx.get(identity).keyFiles();
        for (String name : HostKeys.FILES) {
            files.put(name, Files.readAllBytes(keys.resolve(name)));
        }
        if (!spec.accounts().authorizedKeys().isEmpty()) {
            files.put("authorized_keys", (String.join("\n", spec.accounts().authorizedKeys()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path initrd = dir.resolve("initrd.gz");
        PreseedInitrd.write(v.initrd(), preseed, files, initrd);
        Path cfg = dir.resolve("install.cfg");
        Files.writeString(cfg, InstallTimeConfig.render(sources, spec, storageName, v.kernel(), initrd));
        ctx.info("preseed for " + spec.hostname() + " appended to a copy of the installer's initrd (" + initrd + ")");
        return new Preseeded(dir, initrd, cfg);
    }
}
