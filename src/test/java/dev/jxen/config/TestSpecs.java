package dev.jxen.config;

import dev.jxen.cli.InProcess;

import java.nio.file.Path;
import java.util.List;

/** ImageSpecs for tests, built the real way: shipped defaults plus command-line settings. */
public final class TestSpecs {
    private TestSpecs() {
    }

    /** @param settings key=value pairs as on the command line, without the dashes */
    public static ImageSpec spec(Path tmp, String... settings) throws Exception {
        Path config = InProcess.scratchConfigDir(tmp.resolve("specs-" + System.nanoTime()));
        CommandLineLayer cli = new CommandLineLayer();
        cli.add("dist", List.of("bookworm")).add("mirror", List.of("http://mirror.example/debian"))
                .add("output", List.of(tmp.resolve("out").toString()));
        for (String s : settings) {
            String[] kv = s.split("=", 2);
            cli.add(kv[0], kv.length == 2 ? List.of(kv[1]) : List.of());
        }
        ConfigSources sources = new ConfigSources(config, InProcess.home());
        return new ImageSpecBuilder(ConfigLoader.load(sources, cli.build()), sources, ConfigLayersTest.NO_DOM0).build();
    }

    public static ConfigSources sources(Path tmp) throws Exception {
        return new ConfigSources(InProcess.scratchConfigDir(tmp.resolve("src-" + System.nanoTime())), InProcess.home());
    }
}
