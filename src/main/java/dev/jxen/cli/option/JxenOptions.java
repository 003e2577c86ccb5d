package dev.jxen.cli.option;

import picocli.CommandLine.Option;

/** jxen's own options: none of them changes the meaning of an xen-tools option. */
public class JxenOptions {
    @Option(names = "--profile", completionCandidates = Candidates.Profiles.class, paramLabel = "NAME", description = "Apply /etc/xen-tools/profiles/NAME.conf above --config.") public String profile;
    @Option(names = "--dry-run", description = "Print what would be done, stage by stage, and change nothing.") public boolean dryRun;
    @Option(names = "--json", description = "Write machine-readable JSON: one event per line, or the plan with --dry-run.") public boolean json;
    @Option(names = "--config-dir", paramLabel = "DIR", description = "Configuration directory instead of /etc/xen-tools (also JXEN_CONFIG_DIR).") public String configDir;
    @Option(names = "--base-cache", description = "Use and fill the base-tree cache (default on; --no-base-cache to bypass it).") public boolean baseCache;
    @Option(names = "--no-base-cache", hidden = true) public boolean noBaseCache;
    @Option(names = "--base-cache-dir", paramLabel = "DIR", description = "Base-tree cache directory (default /var/cache/jxen/base).") public String baseCacheDir;
    @Option(names = "--base-cache-max", paramLabel = "SIZE", description = "Size bound of the base-tree cache (default 4G).") public String baseCacheMax;
    @Option(names = {"-q", "--quiet"}, description = "Print only warnings, errors and the summary.") public boolean quiet;
    @Option(names = "--log", paramLabel = "FILE", description = "Log file (default /var/log/xen-tools/HOST.log).") public String log;
}
