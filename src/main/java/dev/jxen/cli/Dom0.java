package dev.jxen.cli;

import dev.jxen.config.Dom0Facts;
import dev.jxen.mirror.AptSource;
import dev.jxen.mirror.AptSources;
import dev.jxen.mirror.MirrorGuess;
import dev.jxen.system.Command;
import dev.jxen.system.LocalCommandRunner;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The facts of the machine jxen runs on: its apt sources and architecture. */
final class Dom0 implements Dom0Facts {
    private final Path aptDir;
    private List<AptSource> sources;

    Dom0(Path aptDir) {
        this.aptDir = aptDir;
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
    public String arch() {
        var r = new LocalCommandRunner().run(Command.of("dpkg", "--print-architecture").capturing()
                .withTimeout(java.time.Duration.ofSeconds(30)), l -> { });
        return r.ok() && !r.stdout().isBlank() ? r.stdout().strip() : "amd64";
    }
}
