package dev.jxen.customize;

import dev.jxen.guest.GuestRoot;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.MountedRoot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A guest's consoles as xen-tools' hooks leave them: logins only on the Xen console, root allowed
 * there (75-fixup-securetty), and the hardware clock left alone (15-disable-hwclock), for systemd and
 * sysvinit guests. systemd starts a getty on the kernel's console ({@code console=hvc0}, from the
 * .cfg or the boot menu) by itself and ships hwclock.service masked; what is left to do there is the
 * getty on tty1, a virtual terminal no PV or PVH guest shows.
 */
public final class ConsoleStage implements Stage<Void> {
    static final String SECURETTY = "etc/securetty";
    static final String INITTAB = "etc/inittab";
    static final String TTY1_GETTY = "etc/systemd/system/getty.target.wants/getty@tty1.service";
    private final String serialDevice;
    private final StageResult<MountedRoot> mounted;

    /** @param serialDevice the Xen console's device in the guest ({@code hvc0}, from --serial_device) */
    public ConsoleStage(String serialDevice, StageResult<MountedRoot> mounted) {
        this.serialDevice = serialDevice;
        this.mounted = mounted;
    }

    @Override
    public String name() {
        return "console";
    }

    private Set<String> secureConsoles() {
        return new LinkedHashSet<>(List.of("xvc0", "hvc0", serialDevice));
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(
                PlannedAction.write("MOUNTPOINT/" + SECURETTY, "where the guest has one: " + String.join(", ", secureConsoles()) + " added where missing"),
                PlannedAction.write("MOUNTPOINT/" + TTY1_GETTY, "removed where it is a link: no getty on tty1 (systemd)"),
                PlannedAction.write("MOUNTPOINT/" + INITTAB, "where the guest has one (sysvinit): the gettys of tty2 to tty6 and serial lines "
                        + "commented out, tty1's on " + serialDevice),
                PlannedAction.write("MOUNTPOINT/etc/rc?.d/[SK]??hwclock.sh", "removed (sysvinit): the guest leaves the hardware clock to Xen"));
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        GuestRoot guest = GuestRoot.at(ctx.get(mounted).root());
        List<String> done = new ArrayList<>();
        if (guest.readString(SECURETTY, 1 << 20).isPresent()) {
            List<String> lines = guest.readLines(SECURETTY);
            StringBuilder add = new StringBuilder();
            for (String tty : secureConsoles()) {
                if (lines.stream().noneMatch(l -> l.strip().equals(tty))) {
                    add.append(tty).append('\n');
                }
            }
            if (add.length() > 0) {
                String old = String.join("\n", lines);
                guest.write(SECURETTY, old + (old.isEmpty() ? "" : "\n") + add, "rw-r--r--");
                done.add("root may log in on " + add.toString().strip().replace('\n', ' '));
            }
        }
        if (guest.isLink(TTY1_GETTY)) {
            guest.delete(TTY1_GETTY);
            done.add("no getty on tty1");
        }
        if (guest.readString(INITTAB, 1 << 20).isPresent()) {
            List<String> lines = guest.readLines(INITTAB);
            String edited = inittab(lines, serialDevice);
            if (!edited.equals(String.join("\n", lines) + "\n")) {
                guest.write(INITTAB, edited, "rw-r--r--");
                done.add("inittab: a getty on " + serialDevice + " only");
            }
        }
        for (char level : "0123456S".toCharArray()) {
            // as update-rc.d -f hwclock.sh remove
            if (!guest.deleteMatching("etc/rc" + level + ".d", "[SK][0-9][0-9]hwclock.sh").isEmpty()) {
                done.add("hwclock.sh off in runlevel " + level);
            }
        }
        ctx.info(done.isEmpty() ? "the consoles needed nothing" : String.join("; ", done));
        return null;
    }

    /**
     * xen-tools' edit of a sysvinit inittab: the gettys of runlevels' tty2 to tty6 and the serial ones
     * ({@code T0:...}) commented out, tty1's moved to the Xen console.
     */
    static String inittab(List<String> lines, String console) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            String out = l;
            if (l.matches("[2-6].*:respawn.*") || l.startsWith("T")) {
                out = "#" + l;
            } else if (l.endsWith("tty1") && !l.startsWith("#")) {
                out = l.substring(0, l.length() - "tty1".length()) + console;
            }
            b.append(out).append('\n');
        }
        return b.toString();
    }
}
