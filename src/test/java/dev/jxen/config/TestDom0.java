package dev.jxen.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * A dom0 for tests: no apt sources, amd64, and, when given, a directory of pvgrub2 images and an
 * answer from the hypervisor about PVH.
 *
 * @param grubXen the directory of the grub-xen images, or null for a dom0 without grub-xen-host
 * @param pvh      whether the hypervisor runs PVH guests; empty when that cannot be told
 * @param programs the programs it has on its PATH, as far as jxen asks (mmdebstrap)
 */
public record TestDom0(Path grubXen, Optional<Boolean> pvh, Set<String> programs) implements Dom0Facts {
    /** No grub-xen-host, no hypervisor, no mmdebstrap. */
    public static final TestDom0 NONE = new TestDom0(null, Optional.empty());

    public TestDom0(Path grubXen, Optional<Boolean> pvh) {
        this(grubXen, pvh, Set.of());
    }

    /** The same dom0 with these programs installed. */
    public TestDom0 with(String... programs) {
        return new TestDom0(grubXen, pvh, Set.of(programs));
    }

    @Override
    public boolean has(String program) {
        return programs.contains(program);
    }

    @Override
    public Optional<String> suite(Set<String> known) {
        return Optional.empty();
    }

    @Override
    public Optional<Guess> mirror(Set<String> familyReleases) {
        return Optional.empty();
    }

    @Override
    public String arch() {
        return "amd64";
    }

    @Override
    public Optional<Path> pvgrub2(ImageSpec.GuestType type) {
        if (grubXen == null) {
            return Optional.empty();
        }
        Path p = grubXen.resolve(type == ImageSpec.GuestType.PVH ? "grub-i386-xen_pvh.bin" : "grub-x86_64-xen.bin");
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public PvhSupport pvhSupport() {
        return new PvhSupport(pvh, pvh.isEmpty() ? "no hypervisor here" : "xl info: virt_caps pv" + (pvh.get() ? " hvm hap" : ""));
    }
}
