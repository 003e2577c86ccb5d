package dev.jxen.cli;

import dev.jxen.config.Setting;
import dev.jxen.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;

/**
 * The option descriptions of jxen-create-image, from the settings catalog: picocli reads them from this
 * bundle by the command's name and the option's, so --help, the man pages and completion say what the
 * catalog says, with the default it holds; so do the options of delete-image, update-image and resize-image that
 * are settings (the storage target, output, extension, log) and {@code jxen cache --max}, the
 * catalog's base-cache-max. Options that are no setting keep their own descriptions.
 */
public final class SettingsHelp extends ListResourceBundle {
    private static final String PREFIX = "jxen.create-image.";

    @Override
    protected Object[][] getContents() {
        List<Object[]> out = new ArrayList<>();
        for (Setting s : Settings.all()) {
            if (s.configOnly() || s.help() == null) {
                continue;
            }
            String text = s.dflt() != null && s.kind() != Setting.Kind.FLAG ? s.help() + " Default: " + s.dflt() + "." : s.help();
            out.add(new Object[] {PREFIX + s.key(), text});
            for (String alias : s.aliases()) {
                out.add(new Object[] {PREFIX + alias, text});
            }
        }
        // the companions' options that are settings: the catalog's words, and what they mean there
        for (String command : List.of("delete-image", "update-image", "resize-image")) {
            for (String key : List.of("dir", "lvm", "zpool")) {
                out.add(new Object[] {"jxen." + command + "." + key, help(key) + " Used only for a guest without a .cfg (a .cfg names the disks itself); "
                        + "decided as create decides its target (the command line's over the configuration's)."});
            }
            out.add(new Object[] {"jxen." + command + ".evms", help("evms")});
            out.add(new Object[] {"jxen." + command + ".output", help("output") + " Where the guests' .cfg files are (default: output in "
                    + "xen-tools.conf, else " + Settings.defaultOf("output").orElseThrow() + ")."});
            out.add(new Object[] {"jxen." + command + ".extension", help("extension") + " Default: extension in xen-tools.conf, else "
                    + Settings.defaultOf("extension").orElseThrow() + "."});
            out.add(new Object[] {"jxen." + command + ".log", "Log file, for every guest named (default: log in xen-tools.conf, else "
                    + "/var/log/xen-tools/HOST.log, each guest's own, where its create logged)."});
        }
        // jxen cache prune's bound is the catalog's setting under another name
        out.add(new Object[] {"jxen.cache.max", "Size bound for prune (default: base-cache-max in xen-tools.conf, else "
                + Settings.defaultOf("base-cache-max").orElseThrow() + ")."});
        return out.toArray(new Object[0][]);
    }

    private static String help(String key) {
        return Settings.byKey(key).map(Setting::help).orElseThrow();
    }
}
