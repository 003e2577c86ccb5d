package dev.jxen.config;

import java.util.regex.Pattern;

/**
 * A guest's host name, checked against RFC 1123: it ends up in paths ({@code /etc/xen/NAME.cfg},
 * {@code DIR/domains/NAME}), volume names, templates and shell hooks, so nothing else gets through.
 */
public record Hostname(String fqdn) {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");

    public static Hostname parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("the host name is empty");
        }
        if (text.length() > 253) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is " + text.length() + " characters; a host name has at most 253");
        }
        if (text.endsWith(".")) {
            throw new IllegalArgumentException("'" + text + "' ends with a dot; give the name without it");
        }
        for (String label : text.split("\\.", -1)) {
            if (label.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' has an empty label (two dots in a row, or a leading dot)");
            }
            if (label.length() > 63) {
                throw new IllegalArgumentException("'" + abbreviate(text) + "' has a label of " + label.length() + " characters; labels have at most 63");
            }
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a valid host name: labels hold letters, digits and inner hyphens only (RFC 1123)");
            }
        }
        String last = text.substring(text.lastIndexOf('.') + 1);
        if (last.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' ends in a label of digits only, as an IPv4 address does; a host name cannot (RFC 1123)");
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("localhost") || lower.endsWith(".localhost")) {
            throw new IllegalArgumentException("'" + text + "' is reserved for the machine itself (RFC 6761); the dom0's hosts file and the guest's would both lie");
        }
        return new Hostname(text);
    }

    /** The first label: the short name. */
    public String shortName() {
        int dot = fqdn.indexOf('.');
        return dot < 0 ? fqdn : fqdn.substring(0, dot);
    }

    /** The domain part, or empty. */
    public String domain() {
        int dot = fqdn.indexOf('.');
        return dot < 0 ? "" : fqdn.substring(dot + 1);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    @Override
    public String toString() {
        return fqdn;
    }
}
