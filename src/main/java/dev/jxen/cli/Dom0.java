package dev.jxen.cli;

import dev.jxen.config.Dom0Facts;
import dev.jxen.config.ImageSpec;
import dev.jxen.mirror.AptSource;
import dev.jxen.mirror.AptSources;
import dev.jxen.mirror.MirrorGuess;
import dev.jxen.system.Command;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.xen.XlInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The facts of the machine jxen runs on: its apt sources, its architecture, its pvgrub2 images, what its hypervisor runs. */
final class Dom0 implements Dom0Facts {
    private final Dom0Paths dom0;
    private final Path aptDir;
    private List<AptSource> sources;
    private PvhSupport pvh;

    Dom0(Dom0Paths dom0) {
        this.dom0 = dom0;
        this.aptDir = dom0.aptDir();
    }

    private List<AptSource> sources() {
        if (sources == null) {
            sources = AptSources.read(aptDir);
        }
        return sources;
    }

    @Override
    public Optional<String> suite(Set<String> known) {
        return MirrorGuess.dom0Suite(sources(), known);
    }

    @Override
    public Optional<Guess> mirror(Set<String> familyReleases) {
        return MirrorGuess.mirrorFor(sources(), familyReleases).map(f -> new Guess(f.uri(), f.origin()));
    }

    @Override
    public Optional<Path> pvgrub2(ImageSpec.GuestType type) {
        Path image = dom0.grubXenDir().resolve(type == ImageSpec.GuestType.PVH ? "grub-i386-xen_pvh.bin" : "grub-x86_64-xen.bin");
        return Files.isRegularFile(image) ? Optional.of(image) : Optional.empty();
    }

    @Override
    public PvhSupport pvhSupport() {
        if (pvh == null) {
            XlInfo info = XlInfo.query(new LocalCommandRunner(), dom0);
            pvh = new PvhSupport(info.runsPvh(), info.how());
        }
        return pvh;
    }

    @Override
    public boolean has(String program) {
        return dev.jxen.system.ToolCheck.find(program).isPresent();
    }

    @Override
    public String arch() {
        var r = new LocalCommandRunner().run(Command.of("dpkg", "--print-architecture").capturing()
                .withTimeout(java.time.Duration.ofSeconds(30)), l -> { });
        return r.ok() && !r.stdout().isBlank() ? r.stdout().strip() : "amd64";
    }
}
