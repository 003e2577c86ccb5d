package dev.jxen.customize;

import dev.jxen.guest.GuestRoot;
import dev.jxen.guest.Sandbox;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.BoundedFiles;
import dev.jxen.system.Command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives the guest the dom0's time zone and locales, as xen-tools' hooks 60-copy-host-files and
 * 95-configure-locales do: /etc/localtime (a link to the guest's own zone file, or the dom0's file
 * where the guest has none), /etc/timezone where the guest keeps one, the dom0's locale.gen, its
 * locales generated in the guest, and LANG.
 */
public final class Dom0SettingsStage implements Stage<Void> {
    static final String LOCALE_GEN = "usr/sbin/locale-gen";
    static final String DEFAULT_LOCALE = "etc/default/locale";
    static final String LOCALE_CONF = "etc/locale.conf";
    private final Path dom0Etc;
    private final Sandbox.Policy policy;
    private final StageResult<MountedRoot> mounted;

    /** @param dom0Etc the dom0's /etc, where its localtime, timezone, locale.gen and default/locale are */
    public Dom0SettingsStage(Path dom0Etc, Sandbox.Policy policy, StageResult<MountedRoot> mounted) {
        this.dom0Etc = dom0Etc;
        this.policy = policy;
        this.mounted = mounted;
    }

    @Override
    public String name() {
        return "dom0 settings";
    }

    private Dom0Settings settings() {
        try {
            return Dom0Settings.read(dom0Etc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        Dom0Settings s = settings();
        List<PlannedAction> out = new ArrayList<>();
        s.zone().ifPresentOrElse(z -> out.add(PlannedAction.write("MOUNTPOINT/etc/localtime", "the dom0's time zone " + z
                        + ": a link to the guest's /usr/share/zoneinfo/" + z + ", else a copy of the dom0's file; /etc/timezone where the guest has one")),
                () -> s.localtime().ifPresent(f -> out.add(PlannedAction.write("MOUNTPOINT/etc/localtime", "a copy of the dom0's " + f))));
        s.localeGen().ifPresent(g -> out.add(PlannedAction.write("MOUNTPOINT/etc/locale.gen", "the dom0's " + dom0Etc.resolve("locale.gen"))));
        if (!s.locales().isEmpty()) {
            out.add(PlannedAction.note("locale-gen runs " + Sandbox.describe(policy.offline()) + ", where the guest has it"));
            out.add(PlannedAction.run(Command.of("chroot", "MOUNTPOINT", "/" + LOCALE_GEN)
                    .withLabel("locale-gen: " + String.join(", ", s.localeNames()))));
        }
        out.add(PlannedAction.write("MOUNTPOINT/" + DEFAULT_LOCALE, "LANG=" + s.lang()
                + (s.locales().isEmpty() ? "" : " (" + Dom0Settings.DEFAULT_LANG + " where the guest has no locale-gen)")
                + "; where it is a link inside the guest (to /etc/locale.conf), the file it leads to"));
        return out;
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        Dom0Settings s = settings();
        Path root = ctx.get(mounted).root();
        GuestRoot guest = GuestRoot.at(root);
        timeZone(ctx, guest, s);
        if (s.localeGen().isPresent()) {
            guest.write("etc/locale.gen", s.localeGen().get(), "rw-r--r--");
        }
        String lang = s.lang();
        if (!s.locales().isEmpty()) {
            if (guest.exists(LOCALE_GEN)) {
                try (GuestWork w = GuestWork.open(ctx, policy.offline(), root)) {
                    ctx.run(w.sandbox().inGuest(Command.of("/" + LOCALE_GEN).withLabel("locale-gen")
                            .withTimeout(Duration.ofMinutes(2L + s.locales().size()))));
                }
            } else {
                lang = Dom0Settings.DEFAULT_LANG;
                ctx.warn("the guest has no locale-gen (package locales): the dom0's locales " + s.localeNames()
                        + " are not generated in it; LANG is " + lang);
            }
        }
        guest.write(localeFile(guest), "LANG=" + lang + "\n", "rw-r--r--");
        return null;
    }

    /**
     * Where the guest keeps LANG: /etc/default/locale, or where that leads inside the guest (systemd
     * from Debian 13 on makes it a link to /etc/locale.conf, which it reads itself).
     */
    private static String localeFile(GuestRoot guest) throws IOException {
        String led = guest.path().relativize(guest.resolve(DEFAULT_LOCALE)).toString();
        return led.equals(LOCALE_CONF) ? LOCALE_CONF : DEFAULT_LOCALE;
    }

    private static void timeZone(StageContext ctx, GuestRoot guest, Dom0Settings s) throws IOException {
        String zoneFile = s.zone().map(z -> "usr/share/zoneinfo/" + z).orElse(null);
        if (zoneFile != null && Files.isRegularFile(guest.resolve(zoneFile))) {
            guest.symlink("etc/localtime", "/" + zoneFile);
        } else if (s.localtime().isPresent()) {
            byte[] tz = BoundedFiles.readBytes(s.localtime().get(), 64 << 10);
            guest.delete("etc/localtime");
            guest.write("etc/localtime", tz, "rw-r--r--");
        } else {
            ctx.warn("the dom0 has no /etc/localtime: the guest keeps its own time zone");
            return;
        }
        if (s.zone().isPresent() && guest.exists("etc/timezone")) {
            guest.write("etc/timezone", s.zone().get() + "\n", "rw-r--r--");
        }
    }
}
