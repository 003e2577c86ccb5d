package dev.jxen.cli.option;

import picocli.CommandLine.Option;

/** jxen's own options: none of them changes the meaning of an xen-tools option. */
public class JxenOptions {
    @Option(names = "--profile", completionCandidates = Candidates.Profiles.class, paramLabel = "NAME") public String profile;
    @Option(names = "--dry-run") public boolean dryRun;
    @Option(names = "--json") public boolean json;
    @Option(names = "--config-dir", paramLabel = "DIR") public String configDir;
    @Option(names = "--base-cache") public boolean baseCache;
    @Option(names = "--no-base-cache", hidden = true) public boolean noBaseCache;
    @Option(names = "--base-cache-dir", paramLabel = "DIR") public String baseCacheDir;
    @Option(names = "--base-cache-max", paramLabel = "SIZE") public String baseCacheMax;
    @Option(names = {"-q", "--quiet"}) public boolean quiet;
    @Option(names = "--log", paramLabel = "FILE") public String log;
    @Option(names = "--wait-ssh", arity = "0..1", paramLabel = "SECONDS") public String waitSsh;
    @Option(names = "--known-hosts", paramLabel = "FILE") public String knownHosts;
}
