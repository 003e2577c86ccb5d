package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.ImageSpec.Boot;
import dev.jxen.error.StageFailedException;
import dev.jxen.guest.GuestRoot;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.MountedRoot;

import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel a guest that boots its own (pvgrub2, pygrub) will start: the first {@code linux} of its
 * /boot/grub/grub.cfg, else its newest /boot/vmlinuz-*. It must be there, and with pvgrub2 in a PV
 * guest be one GRUB can unpack, or the unpacked copy the boot-menu hook made of a zstd kernel.
 */
public final class GuestKernelStage implements Stage<String> {
    private static final Pattern LINUX = Pattern.compile("(?m)^\\s*linux\\s+(\\S+)");
    private final Boot boot;
    private final StageResult<MountedRoot> mounted;

    public GuestKernelStage(ImageSpec spec, StageResult<MountedRoot> mounted) {
        this.boot = spec.domain().start();
        this.mounted = mounted;
    }

    @Override
    public String name() {
        return "guest kernel";
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(PlannedAction.note("check that the guest has the kernel " + boot.path().key() + " starts"
                + (pvgrub2Pv() ? ", one pvgrub2 can start in a PV guest (a zstd kernel unpacked)" : "")));
    }

    private boolean pvgrub2Pv() {
        return boot.path() == ImageSpec.BootPath.PVGRUB2 && boot.type() == ImageSpec.GuestType.PV;
    }

    @Override
    public String run(StageContext ctx) throws Exception {
        GuestRoot root = GuestRoot.at(ctx.get(mounted).root());
        String kernel = booted(root).orElseThrow(() -> new StageFailedException(name(),
                "the guest has no kernel in /boot, and " + boot.path().key() + " starts the guest's own",
                "install one in the guest (a linux-image package), or boot a dom0 kernel with --kernel", null));
        KernelImage.Packing packing;
        try (InputStream in = root.open(kernel).orElseThrow(() -> new StageFailedException(name(),
                kernel + " (named in the guest's /boot/grub/grub.cfg) is not a file in the guest",
                "see the guest's /boot and its grub.cfg", null))) {
            packing = KernelImage.packing(in);
        }
        if (pvgrub2Pv() && !packing.pvgrub2PvStarts()) {
            throw new StageFailedException(name(), kernel + " in the guest is " + (packing == KernelImage.Packing.UNKNOWN
                    ? "of a packing jxen cannot tell" : packing.name().toLowerCase() + "-compressed") + ", which pvgrub2 cannot unpack in a PV guest",
                    "install zstd in the guest, whose boot-menu hook then unpacks it; or make a PVH guest (--type pvh), or boot it with --boot-path pygrub", null);
        }
        ctx.info("the guest starts " + kernel + " (" + packing.name().toLowerCase() + ")");
        return kernel;
    }

    private static Optional<String> booted(GuestRoot root) throws java.io.IOException {
        Optional<String> menu = root.exists("boot/grub/grub.cfg") ? root.readString("boot/grub/grub.cfg", 1 << 20) : Optional.empty();
        if (menu.isPresent()) {
            Matcher m = LINUX.matcher(menu.get());
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return root.list("boot", "vmlinuz-*").stream().max(Comparator.comparing(GuestKernelStage::versionKey)).map(n -> "/boot/" + n);
    }

    /** vmlinuz-6.1.0-9-amd64 before vmlinuz-6.1.0-10-amd64: numbers compared as numbers. */
    private static String versionKey(String name) {
        return Pattern.compile("\\d+").matcher(name).replaceAll(r -> String.format("%010d", Long.parseLong(
                r.group().length() > 10 ? r.group().substring(0, 10) : r.group())));
    }
}
