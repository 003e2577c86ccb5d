package dev.jxen.installer;

import java.util.Optional;

/** A Packages index, read once its hash was checked against the signed Release: one package's stanza. */
public record PackageIndex(String text) {
    /** What the index says of a package: where it is in the pool, its version, hash and size. */
    public record Stanza(String name, String version, String filename, String sha256, long size) {
    }

    /** The stanza of the first package whose name matches {@code namePattern}. */
    public Optional<Stanza> find(String namePattern) {
        for (String block : text.split("\n\n")) {
            String name = field(block, "Package");
            if (name != null && name.matches(namePattern)) {
                String size = field(block, "Size");
                String sha = field(block, "SHA256");
                String file = field(block, "Filename");
                if (size == null || sha == null || file == null || !sha.matches("[0-9a-f]{64}") || !size.matches("\\d+")
                        || file.contains("..") || file.startsWith("/")) {
                    return Optional.empty();
                }
                return Optional.of(new Stanza(name, field(block, "Version"), file, sha, Long.parseLong(size)));
            }
        }
        return Optional.empty();
    }

    private static String field(String block, String name) {
        for (String line : block.split("\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }
}
