package dev.jxen.mirror;

import java.util.List;
import java.util.Map;

/**
 * One apt source as written on the dom0, from a one-line {@code .list} entry or a deb822
 * {@code .sources} paragraph.
 *
 * @param origin file and line, for messages
 */
public record AptSource(List<String> types, List<String> uris, List<String> suites, List<String> components,
                        Map<String, String> options, boolean enabled, String origin) {

    public boolean isBinary() {
        return types.contains("deb");
    }
}
