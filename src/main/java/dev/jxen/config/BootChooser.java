package dev.jxen.config;

import dev.jxen.config.ImageSpec.Boot;
import dev.jxen.config.ImageSpec.BootPath;
import dev.jxen.config.ImageSpec.GuestType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a new guest boots and of which type. Three settings say how it boots: --boot-path, and
 * xen-tools' --pygrub and --kernel; when they disagree, the one in the highest layer stands (what is
 * typed, then --config, then xen-tools.conf), and two in one layer are a choice the user must make.
 * When none says, the dom0 decides: pvgrub2 where it has grub-xen-host, else pygrub. The type is
 * --type, else PVH for pvgrub2 where the hypervisor can run PVH guests (or cannot be asked), else PV.
 * A PV guest with pvgrub2 of a release whose kernels GRUB cannot unpack (zstd, since trixie) boots
 * an unpacked copy that its boot-menu hook keeps (hooks/debian.d/50-grub-menu).
 */
final class BootChooser {
    private record Said(String key, int layer, BootPath path) {
    }

    private record Typed(GuestType type, String why) {
    }

    private final SettingReader r;
    private final Dom0Facts dom0;

    BootChooser(SettingReader r, Dom0Facts dom0) {
        this.r = r;
        this.dom0 = dom0;
    }

    Boot choose() {
        List<Said> said = new ArrayList<>();
        r.text("boot-path").ifPresent(v -> BootPath.of(v).ifPresentOrElse(p -> said.add(new Said("boot-path", layer("boot-path"), p)),
                () -> r.problem(r.where("boot-path") + ": not a boot path; use pvgrub2, pygrub or dom0-kernel")));
        boolean pygrubSet = r.layers().get("pygrub").isPresent();
        boolean pygrub = pygrubSet && r.flag("pygrub");
        if (pygrub) {
            said.add(new Said("pygrub", layer("pygrub"), BootPath.PYGRUB));
        }
        if (r.text("kernel").isPresent()) {
            said.add(new Said("kernel", layer("kernel"), BootPath.DOM0_KERNEL));
        }
        int top = said.stream().mapToInt(Said::layer).max().orElse(-1);
        List<Said> highest = said.stream().filter(s -> s.layer() == top).toList();
        if (highest.stream().map(Said::path).distinct().count() > 1) {
            r.problem(String.join(" and ", highest.stream().map(s -> r.where(s.key())).toList())
                    + ": choose one way to boot the guest (a dom0 kernel, pygrub or pvgrub2), not " + highest.size());
            return new Boot(BootPath.PYGRUB, GuestType.PV, null, "");
        }
        Optional<Path> pvgrub2Pv = dom0.pvgrub2(GuestType.PV);
        if (!highest.isEmpty()) {
            BootPath path = highest.get(0).path();
            String why = r.where(highest.get(0).key()) + (said.size() > highest.size() ? ", which wins over a lower layer's choice" : "");
            return path == BootPath.PVGRUB2 ? pvgrub2(why) : boot(path, type(path), why);
        }
        if (pvgrub2Pv.isPresent()) {
            return pvgrub2("nothing sets how the guest boots, and the dom0 has grub-xen-host (" + pvgrub2Pv.get().getParent() + ")");
        }
        if (pygrubSet) {
            r.problem("no way to boot the guest: give --kernel (a dom0 kernel), --pygrub, or install grub-xen-host for pvgrub2");
            return new Boot(BootPath.PYGRUB, GuestType.PV, null, "");
        }
        return boot(BootPath.PYGRUB, type(BootPath.PYGRUB),
                "nothing sets how the guest boots and the dom0 has no grub-xen-host, so pygrub, as xen-tools");
    }

    /** pvgrub2, of the given or the preferred type. */
    private Boot pvgrub2(String why) {
        Typed typed = type(BootPath.PVGRUB2);
        String image = null;
        Optional<Path> img = dom0.pvgrub2(typed.type());
        if (img.isEmpty()) {
            r.problem(why + ": pvgrub2 for " + typed.type().key().toUpperCase() + " guests needs grub-xen-host's image; "
                    + "install it (apt-get install grub-xen-host), or choose --boot-path pygrub or --kernel");
        } else {
            image = img.get().toString();
        }
        return new Boot(BootPath.PVGRUB2, typed.type(), image, explain(BootPath.PVGRUB2, why, typed));
    }

    private Boot boot(BootPath path, Typed typed, String why) {
        return new Boot(path, typed.type(), null, explain(path, why, typed));
    }

    private static String explain(BootPath path, String why, Typed typed) {
        return path.key() + " (" + why + "), " + typed.type().key().toUpperCase() + " (" + typed.why() + ")";
    }

    private Typed type(BootPath path) {
        Dom0Facts.PvhSupport pvh = dom0.pvhSupport();
        Optional<String> given = r.text("type");
        if (given.isPresent()) {
            GuestType t;
            switch (given.get()) {
                case "pv" -> t = GuestType.PV;
                case "pvh" -> t = GuestType.PVH;
                default -> {
                    r.problem(r.where("type") + ": use pv or pvh");
                    return new Typed(GuestType.PV, "");
                }
            }
            if (t == GuestType.PVH && pvh.runs().equals(Optional.of(false))) {
                r.problem(r.where("type") + ": this Xen cannot run PVH guests (" + pvh.how() + "); use --type pv");
            }
            return new Typed(t, r.where("type"));
        }
        if (path != BootPath.PVGRUB2) {
            return new Typed(GuestType.PV, "as xen-tools makes them");
        }
        if (pvh.runs().isEmpty()) {
            return new Typed(GuestType.PVH, "whether this Xen runs PVH guests cannot be told (" + pvh.how()
                    + "), so PVH, which needs hardware virtualization: give --type pv where there is none");
        }
        return new Typed(pvh.runs().get() ? GuestType.PVH : GuestType.PV, pvh.how());
    }

    private int layer(String key) {
        return r.layers().layerOf(key).map(l -> r.layers().layers().indexOf(l)).orElse(-1);
    }
}
