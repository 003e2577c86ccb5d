package dev.jxen.cli;

import dev.jxen.cli.option.GuestSelection;
import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLayer;
import dev.jxen.config.ConfigLayers;
import dev.jxen.config.ConfigLoader;
import dev.jxen.config.ConfigSources;
import dev.jxen.config.ConfigValue;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.ImageSpecBuilder;
import dev.jxen.error.HostStateException;
import dev.jxen.lifecycle.RunState;
import dev.jxen.lifecycle.UpdateGuest;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.event.ConsoleListener;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.LogFileListener;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.HostLock;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.HostPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code jxen-update-image}: mounts a stopped guest and upgrades its packages (as xen-update-image
 * does), or re-runs the hooks or chosen roles on it. The guest's disks come from its .cfg.
 */
@Command(name = "update-image", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Upgrade the packages of stopped Xen guests, or re-run hooks or roles on them.",
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:updated", "2:invalid input",
            "3:the guest is running, unknown, or locked", "4:a step failed; the guest was unmounted", "130:interrupted"})
public final class UpdateImageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    GuestSelection guests = new GuestSelection();
    @Option(names = "--no-upgrade", description = "Do not run apt-get update and upgrade.")
    boolean noUpgrade;
    @Option(names = "--hooks", description = "Run the distribution's hooks again.")
    boolean hooks;
    @Option(names = "--role", paramLabel = "ROLE", split = ",", description = "Role script(s) to run on the guest.")
    List<String> roles = new ArrayList<>();
    @Option(names = "--role-args", paramLabel = "ARGS", description = "Arguments for the role scripts.")
    String roleArgs;
    @Option(names = "--dist", paramLabel = "RELEASE", description = "The guest's release, for --hooks (default: the dom0's).")
    String dist;
    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;
    @Option(names = "--verbose", description = "Show each command and its output.")
    boolean verbose;
    @Option(names = "--force", description = "Update even when xl cannot tell whether the guest runs. A running guest is never updated.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> all = guests.all();
        ConfigSources sources = ConfigSources.forProcess(guests.configDir);
        HostPaths paths = HostPaths.fromEnvironment();
        for (String host : all) {
            ImageSpec image = spec(sources, host, paths);
            ConfigLayers configured = ConfigLoader.load(sources, new CommandLineLayer().build());
            Path cfg = guests.output(configured).resolve(image.hostname().fqdn() + guests.extension(configured));
            Pipeline pipeline = UpdateGuest.pipeline(image, cfg, sources, new UpdateGuest.Steps(!noUpgrade, hooks, !roles.isEmpty()), force, paths);
            if (dryRun) {
                PlanPrinter.print(image, pipeline.plan(), false, out);
                continue;
            }
            EventHandlers events = new EventHandlers(new Redactor())
                    .add(new ConsoleListener(out, verbose, false, System.console() != null));
            LocalCommandRunner runner = new LocalCommandRunner();
            try (HostLock lock = HostLock.acquire(paths.lockDir(), image.hostname().fqdn());
                 LogFileListener log = new LogFileListener(image.run().log())) {
                RunState.recover(image.hostname().fqdn(), paths, runner).forEach(out::println);
                events.add(log);
                events.log(dev.jxen.pipeline.event.JxenEvent.Level.INFO, null, image.hostname() + " has run, so its files are untrusted: "
                        + "its commands run in a sandbox that sees the dom0 read-only; see 'Security' in the README");
                RunState.run(image.hostname().fqdn(), "update-image", false, pipeline, paths, runner, events);
                out.println("updated " + image.hostname());
            }
        }
        out.flush();
        return 0;
    }

    /** The spec of an existing guest: only the host name, the dist, hooks and roles matter here. */
    private ImageSpec spec(ConfigSources sources, String host, HostPaths paths) {
        CommandLineLayer cli = new CommandLineLayer().add("hostname", List.of(host));
        if (dist != null) {
            cli.add("dist", List.of(dist));
        }
        if (!roles.isEmpty()) {
            cli.add("role", roles);
        }
        if (roleArgs != null) {
            cli.add("role-args", List.of(roleArgs));
        }
        ConfigLayers loaded = ConfigLoader.load(sources, cli.build());
        // What a create would need but an update does not: no install, no storage to make, no boot choice.
        Map<String, ConfigValue> neutral = new LinkedHashMap<>();
        for (String[] kv : new String[][] {{"install", "0"}, {"dir", "/"}, {"lvm", ""}, {"zpool", ""}, {"dhcp", "1"},
            {"ip", ""}, {"pygrub", "1"}, {"kernel", ""}, {"initrd", ""}, {"partitions", ""}, {"boot", "0"}}) {
            neutral.put(kv[0], ConfigValue.of(kv[1], "jxen-update-image"));
        }
        List<ConfigLayer> layers = new ArrayList<>(loaded.layers());
        layers.add(layers.size() - 1, new ConfigLayer("jxen-update-image", neutral));
        return new ImageSpecBuilder(new ConfigLayers(layers), sources, new Dom0(paths.aptDir())).build();
    }
}
