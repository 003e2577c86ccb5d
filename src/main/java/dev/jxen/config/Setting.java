package dev.jxen.config;

import java.util.List;

/**
 * One configuration key as xen-tools knows it: the name used in {@code xen-tools.conf} and on the
 * command line, how its value is read, whether it is secret (never logged), and where it may come from.
 *
 * @param key       the xen-tools key, also the long option name ({@code install-method}, {@code lvm_thin})
 * @param kind      how the value is written
 * @param secret    true if the value must never reach a log, the console or a hook's environment
 * @param cliOnly   true for actions such as {@code --help} that make no sense in a config file
 * @param aliases   other option names meaning the same key ({@code genpass-len} for {@code genpass_len})
 * @param negations option names that set a flag to 0 ({@code noboot}, {@code no-boot})
 */
public record Setting(String key, Kind kind, boolean secret, boolean cliOnly, List<String> aliases, List<String> negations) {

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
        var names = new java.util.ArrayList<String>();
        names.add(key);
        names.addAll(aliases);
        names.addAll(negations);
        return names;
    }
}
