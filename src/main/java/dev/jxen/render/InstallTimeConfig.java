package dev.jxen.render;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;

import dev.jxen.storage.GuestDisk;
import dev.jxen.storage.GuestDisks;
import dev.jxen.storage.StoragePaths;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The .cfg the Debian Installer runs under (--install-method installer): the guest's own disks,
 * network and name, with the installer's kernel and initrd, as a PV guest (the way Debian installs
 * Xen guests), with at least {@value #MIN_MEMORY_MIB} MiB (below that the installer runs in its
 * low-memory mode, which asks questions), ended by the installer's reboot. Rendered from the
 * same {@code xl.cfg.ftl} as the guest's .cfg, with {@code installer_kernel} set.
 */
public final class InstallTimeConfig {
    public static final long MIN_MEMORY_MIB = 1024;
    public static final String EXTRA = "auto=true priority=critical console=hvc0";

    private InstallTimeConfig() {
    }

    /** @param name the names of the disks the installer installs onto (a --force create builds beside the old guest) */
    public static String render(ConfigSources sources, ImageSpec spec, StoragePaths.Name name, Path kernel, Path ramdisk) {
        Map<String, Object> m = GuestModel.of(spec);
        List<GuestDisk> disks = GuestDisks.layout(spec, name).disks();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> model = (List<Map<String, Object>>) m.get("disks");
        for (int i = 0; i < model.size(); i++) {
            model.get(i).put("target", disks.get(i).path());
        }
        m.put("installer_kernel", kernel.toString());
        m.put("installer_ramdisk", ramdisk.toString());
        m.put("installer_extra", EXTRA);
        m.put("memory", Math.max(spec.domain().memory().mebibytes(), MIN_MEMORY_MIB));
        m.put("maxmem", "");
        m.put("type", "pv");
        return new Templates(sources.templateDirs()).render("xl.cfg.ftl", m);
    }
}
