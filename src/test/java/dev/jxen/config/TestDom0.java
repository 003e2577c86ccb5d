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
 * @param pvh     whether the hypervisor runs PVH guests; empty when that cannot be told
 */
public record TestDom0(Path grubXen, Optional<Boolean> pvh) implements Dom0Facts {
    /** No grub-xen-host, no hypervisor. */
    public static final TestDom0 NONE = new TestDom0(null, Optional.empty());

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
