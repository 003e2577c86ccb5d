package dev.jxen.cli;

import dev.jxen.config.Size;
import dev.jxen.error.InvalidInputException;
import dev.jxen.install.cache.BaseTreeCache;
import dev.jxen.storage.ThinBase;
import dev.jxen.system.LocalCommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code jxen cache list|prune|clear}: the base-tree cache and the thin base volumes made from it. */
@Command(name = "cache", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "List or prune the base-tree cache, and the thin base volumes made from it on LVM thin.")
public final class CacheCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "ACTION", description = "list, prune (to --max) or clear; prune and clear also remove the thin "
            + "base volumes (VG/jxen-base-KEY) that no guest's volume is a snapshot of and whose entry is gone")
    String action;
    @Option(names = "--base-cache-dir", paramLabel = "DIR", description = "Cache directory (default: base-cache-dir in xen-tools.conf, else /var/cache/jxen/base).")
    Path dir;
    @Option(names = "--max", paramLabel = "SIZE") // help from the catalog (SettingsHelp)
    String max;
    @Option(names = "--config-dir", paramLabel = "DIR", description = "Configuration directory instead of /etc/xen-tools.")
    String configDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        var layers = dev.jxen.config.ConfigLoader.load(dev.jxen.config.ConfigSources.forProcess(configDir), new dev.jxen.config.CommandLineLayer().build());
        if (dir == null) {
            dir = Path.of(layers.resolved("base-cache-dir").orElseThrow());
        }
        if (max == null) {
            max = layers.resolved("base-cache-max").orElseThrow();
        }
        BaseTreeCache cache = new BaseTreeCache(dir);
        switch (action) {
            case "list" -> {
                out.printf("%-12s %-10s %-6s %-22s %8s  %-20s %s%n", "KEY", "DIST", "ARCH", "INSTALLER", "SIZE", "LAST USED", "HEALTH");
                LocalCommandRunner runner = new LocalCommandRunner();
                for (BaseTreeCache.Entry e : cache.list()) {
                    var check = runner.run(cache.checkCommand(e.tarball()), l -> { });
                    out.printf("%-12s %-10s %-6s %-22s %7dM  %-20s %s%n", e.key().substring(0, 12), e.manifest().get("dist"),
                            e.manifest().get("arch"), e.manifest().get("installer"), e.bytes() >> 20,
                            e.lastUsed().toString().substring(0, 19), check.ok() ? "ok" : "broken (" + String.join(" ", check.tail()) + ")");
                }
                for (Path p : cache.strays()) {
                    out.println("stray: " + p + " (removed by: jxen cache prune)");
                }
                for (ThinBase.Volume v : ThinBase.list(runner)) {
                    boolean entry = cache.list().stream().anyMatch(e -> e.key().startsWith(v.key16()));
                    out.printf("thin base volume %s/%s: %dM, %d snapshots, %s%n", v.vg(), v.lv(), v.bytes() >> 20, v.snapshots(),
                            entry ? "its cache entry is here" : "no cache entry here (removed by jxen cache prune once no snapshot is left)");
                }
            }
            case "prune", "clear" -> {
                long bound;
                try {
                    bound = action.equals("clear") ? 0 : Size.parse(max, false).bytes();
                } catch (IllegalArgumentException ex) {
                    throw new InvalidInputException("--max=" + max + ": " + ex.getMessage());
                }
                for (Path p : cache.strays()) {
                    java.nio.file.Files.deleteIfExists(p);
                    out.println("removed " + p);
                }
                for (BaseTreeCache.Entry e : cache.prune(bound, null)) {
                    out.println("removed " + e.key().substring(0, 12) + " (" + e.manifest().get("dist") + ", " + (e.bytes() >> 20) + "M)");
                }
                pruneThinBases(cache, out);
            }
            default -> throw new InvalidInputException("cache " + action + ": the actions are list, prune and clear");
        }
        out.flush();
        return 0;
    }

    /** Base volumes on LVM thin that no guest's volume is a snapshot of and whose cache entry is not (or no longer) here. */
    private static void pruneThinBases(BaseTreeCache cache, PrintWriter out) throws java.io.IOException {
        LocalCommandRunner runner = new LocalCommandRunner();
        Path lockDir = dev.jxen.system.Dom0Paths.fromEnvironment().lockDir();
        for (ThinBase.Volume v : ThinBase.list(runner)) {
            if (cache.list().stream().anyMatch(e -> e.key().startsWith(v.key16()))) {
                continue;
            }
            Optional<String> kept = ThinBase.removeUnused(runner, v, lockDir);
            out.println(kept.isEmpty() ? "removed the thin base volume " + v.vg() + "/" + v.lv() + " (" + (v.bytes() >> 20) + "M)"
                    : "kept the thin base volume " + v.vg() + "/" + v.lv() + ": " + kept.get());
        }
    }
}
