package dev.jxen.config;

import java.util.regex.Pattern;

/**
 * Where a partition is mounted in the guest: a clean absolute path, {@code /} or components of
 * letters, digits and {@code _.+-} without {@code .} or {@code ..}, so that it names one directory
 * only, whether it comes from a partitions file or from an untrusted guest's fstab.
 */
public final class Mountpoint {
    private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9_.+-]{1,255}");
    private static final int MAX_LENGTH = 1024;

    private Mountpoint() {
    }

    /** Why {@code path} is not a clean mountpoint, or null when it is one. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "is empty";
        }
        if (path.equals("/")) {
            return null;
        }
        if (!path.startsWith("/") || path.length() > MAX_LENGTH) {
            return "must be an absolute path";
        }
        if (path.endsWith("/") || path.contains("//")) {
            return "must not end in '/' or hold '//'";
        }
        for (String c : path.substring(1).split("/")) {
            if (c.equals(".") || c.equals("..")) {
                return "must not hold '.' or '..' components";
            }
            if (!COMPONENT.matcher(c).matches()) {
                return "may hold only letters, digits and '_.+-' between its slashes";
            }
        }
        return null;
    }

    public static boolean isClean(String path) {
        return problem(path) == null;
    }
}
