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

    /** Whether the dom0 has this program on its PATH. */
    default boolean has(String program) {
        return false;
    }

    /** The pvgrub2 image for guests of this type, when the dom0 has grub-xen-host. */
    default Optional<java.nio.file.Path> pvgrub2(ImageSpec.GuestType type) {
        return Optional.empty();
    }

    /**
     * Whether the hypervisor can run PVH guests (xl info lists hvm in its virt_caps).
     *
     * @param runs empty when that cannot be told
     * @param how  where the answer came from, or why there is none
     */
    record PvhSupport(Optional<Boolean> runs, String how) {
    }

    default PvhSupport pvhSupport() {
        return new PvhSupport(Optional.empty(), "no hypervisor was asked");
    }
}
