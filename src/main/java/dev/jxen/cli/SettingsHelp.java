package dev.jxen.cli;

import dev.jxen.config.Setting;
import dev.jxen.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;

/**
 * The option descriptions of jxen-create-image, from the settings catalog: picocli reads them from this
 * bundle by the command's name and the option's, so --help, the man pages and completion say what the
 * catalog says, with the default it holds; so does {@code jxen cache --max}, the catalog's
 * base-cache-max. The other commands, whose options of the same names mean other things, keep their
 * own descriptions.
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
        // jxen cache prune's bound is the catalog's setting under another name
        out.add(new Object[] {"jxen.cache.max", "Size bound for prune (default: base-cache-max in xen-tools.conf, else "
                + Settings.defaultOf("base-cache-max").orElseThrow() + ")."});
        return out.toArray(new Object[0][]);
    }
}
