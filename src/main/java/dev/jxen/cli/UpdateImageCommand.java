package dev.jxen.cli;

import dev.jxen.cli.option.GuestSelection;
import dev.jxen.cli.option.StorageLocation;
import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLayers;
import dev.jxen.config.ConfigLoader;
import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.ImageSpecBuilder;
import dev.jxen.lifecycle.GuestRun;
import dev.jxen.lifecycle.UpdateGuest;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.LocalCommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code jxen-update-image}: mounts a stopped guest and upgrades its packages (as xen-update-image
 * does), or re-runs the hooks or chosen roles on it. The guest's disks come from its .cfg, or without one its root disk is
 * found by its name under --dir or --lvm, as xen-update-image finds it.
 */
@Command(name = "update-image", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Upgrade the packages of stopped Xen guests, or re-run hooks or roles on them.",
        exitCodeListHeading = "%nExit status (with several guests, each is tried and the worst status is the command's):%n", exitCodeList = {"0:updated", "2:invalid input",
            "3:the guest is running, unknown, or locked", "4:a step failed; the guest was unmounted", "130:interrupted"})
public final class UpdateImageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    GuestSelection guests = new GuestSelection();
    @Mixin
    StorageLocation storage = new StorageLocation();
    @Option(names = "--no-upgrade", description = "Do not run apt-get update and upgrade.")
    boolean noUpgrade;
    @Option(names = "--hooks", description = "Run the distribution's hooks again.")
    boolean hooks;
    @Option(names = "--role", paramLabel = "ROLE", split = ",", description = "Role script(s) to run on the guest.")
    List<String> roles = new ArrayList<>();
    @Option(names = "--role-args", paramLabel = "ARGS", description = "Arguments for the role scripts.")
    String roleArgs;
    @Option(names = "--dist", paramLabel = "RELEASE", description = "The guest's release, for --hooks and roles (default: the one its /etc/os-release names).")
    String dist;
    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;
    @Option(names = "--verbose", description = "Show each command and its output.")
    boolean verbose;
    @Option(names = "--json", description = "Print the plan (with --dry-run) or the events as JSON lines, the last one of each guest a summary "
            + "saying whether it was updated.")
    boolean json;
    @Option(names = "--manual", description = "Print this help and where the full manual is.")
    boolean manual;
    @Option(names = "--force", description = "Update even when xl cannot tell whether the guest runs. A running guest is never updated.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (manual) {
            return Manual.print(spec.commandLine());
        }
        ConfigSources sources = ConfigSources.forProcess(guests.configDir);
        Dom0Paths paths = Dom0Paths.fromEnvironment();
        ConfigLayers layers = ConfigLoader.load(sources, commandLine().build());
        ImageSpec.CustomizeSpec customize = ImageSpecBuilder.customizeOnly(layers, sources);
        Map<String, String> settings = new TreeMap<>();
        layers.effective().forEach((k, v) -> settings.put(k, v.text()));
        Dom0 dom0 = new Dom0(paths);
        String arch = dom0.arch();
        java.util.Optional<String> mirror = java.util.Optional.ofNullable(settings.get("mirror")).filter(m -> !m.isBlank())
                .or(() -> dom0.mirror(knownReleases(sources)).map(dev.jxen.config.Dom0Facts.Guess::value));
        List<String> names = guests.all();
        if (dryRun) {
            for (String name : names) {
                Path cfg = guests.output(layers).resolve(name + guests.extension(layers));
                Pipeline pipeline = UpdateGuest.pipeline(request(name, cfg, layers, customize, arch, settings, mirror), sources, paths);
                PlanPrinter.print("Update " + name + ", whose disks its " + cfg + " names", Map.of("hostname", name, "cfg", cfg.toString()),
                        pipeline.plan(), json, out);
            }
            out.flush();
            return 0;
        }
        GuestRun run = new GuestRun("update-image", paths, new LocalCommandRunner());
        return EachGuest.run(names, spec.commandLine(), name -> {
            EventHandlers events = EachGuest.events(out, json, verbose);
            Path cfg = guests.output(layers).resolve(name + guests.extension(layers));
            return run.run(name, guests.log(layers, name), events,
                    () -> job(name, cfg, UpdateGuest.pipeline(request(name, cfg, layers, customize, arch, settings, mirror), sources, paths)));
        });
    }

    private UpdateGuest.Request request(String name, Path cfg, ConfigLayers layers, ImageSpec.CustomizeSpec customize, String arch,
                                        Map<String, String> settings, java.util.Optional<String> mirror) {
        var location = java.nio.file.Files.isRegularFile(cfg) ? storage.locationBeside(layers) : storage.location(layers);
        return new UpdateGuest.Request(name, cfg, location.orElse(null), !noUpgrade, customize, dist, arch, settings, force, mirror);
    }

    private static GuestRun.Job job(String name, Path cfg, Pipeline pipeline) {
        List<String> opening = List.of("jxen " + Version.get() + " updating " + name, name + " has run, so its files are untrusted: "
                + "its commands run in bubblewrap with nothing of the dom0 in reach; see 'Security' in the README");
        return GuestRun.Job.of(pipeline, opening, (ctx, millis) -> {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("hostname", name);
            fields.put("updated", true);
            fields.put("cfg", cfg.toString());
            fields.put("elapsed_ms", millis);
            return new JxenEvent.Summary(true, fields, List.of("updated " + name));
        });
    }

    /** Every release distributions.conf knows, to find the dom0's own mirror among its apt sources. */
    private static java.util.Set<String> knownReleases(ConfigSources sources) {
        java.util.Set<String> out = new java.util.HashSet<>();
        dev.jxen.config.Distributions.read(sources.distributionsConfig()).all().forEach(d -> out.add(d.name()));
        return out;
    }

    /** The update's options as a configuration layer over the config files: only hooks and roles matter here. */
    private CommandLineLayer commandLine() {
        CommandLineLayer cli = storage.addTo(new CommandLineLayer()).add("hooks", List.of(hooks ? "1" : "0"));
        if (!roles.isEmpty()) {
            cli.add("role", roles);
        }
        if (roleArgs != null) {
            cli.add("role-args", List.of(roleArgs));
        }
        return cli;
    }
}
