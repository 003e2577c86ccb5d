package dev.jxen.system;

import java.util.regex.Pattern;

/** POSIX shell quoting, for displaying commands and writing values into shell files. */
public final class ShellQuote {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    private ShellQuote() {
    }

    public static String quote(String s) {
        if (!s.isEmpty() && SAFE.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
