package dev.jxen.config;

import java.util.Optional;
import java.util.Set;

/** What the dom0 itself uses, asked for settings that no layer gives. */
public interface Dom0Facts {

    /** A guessed value and where it was found ({@code /etc/apt/sources.list.d/debian.sources:1}). */
    record Guess(String value, String origin) {
    }

    /** The release the dom0 follows, if it is one of {@code known}. */
    Optional<String> suite(Set<String> known);

    /** A mirror of the family whose releases are given. */
    Optional<Guess> mirror(Set<String> familyReleases);

    /** The dom0's dpkg architecture. */
    String arch();
}
