package dev.jxen.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One setting, declared once: the name used in {@code xen-tools.conf} and on the command line, how its
 * value is written, its default, its help, whether it is secret, and where it may come from. The
 * option descriptions of {@code --help}, the man pages and completion come from here, as do the
 * defaults every part of jxen uses and what {@code --dumpconfig} shows.
 *
 * @param key        the xen-tools key, also the long option name ({@code install-method}, {@code lvm_thin})
 * @param kind       how the value is written
 * @param secret     true if the value must never reach a log, the console or a hook's environment
 * @param cliOnly    true for actions such as {@code --help} that make no sense in a config file
 * @param configOnly true for keys of config files that have no option ({@code ext4_options})
 * @param aliases    other option names meaning the same key ({@code genpass-len} for {@code genpass_len})
 * @param negations  option names that set a flag to 0 ({@code noboot}, {@code no-boot})
 * @param dflt       the value when no layer sets one, or null when there is none (or it is derived)
 * @param help       one sentence for --help
 * @param ignored    for a setting xen-tools accepts and jxen has no use for: what to warn when it is set; else null
 */
public record Setting(String key, Kind kind, boolean secret, boolean cliOnly, boolean configOnly, List<String> aliases,
                      List<String> negations, String dflt, String help, String ignored) {

    public Setting {
        aliases = List.copyOf(aliases);
        negations = List.copyOf(negations);
    }

    /** How a setting's value is written. */
    public enum Kind {
        /** a single string value */
        VALUE,
        /** 1 or 0 (also yes/no, true/false in config files); the option takes no argument */
        FLAG,
        /** repeatable, or a comma/space separated list */
        LIST
    }

    public List<String> cliNames() {
        List<String> names = new ArrayList<>();
        if (!configOnly) {
            names.add(key);
            names.addAll(aliases);
            names.addAll(negations);
        }
        return names;
    }
}
