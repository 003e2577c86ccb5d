package dev.jxen.cli;

import dev.jxen.cli.option.GuestSelection;
import dev.jxen.cli.option.StorageLocation;
import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLayers;
import dev.jxen.config.ConfigLoader;
import dev.jxen.config.ConfigSources;
import dev.jxen.config.PartitionLayout;
import dev.jxen.config.PartitionSpec;
import dev.jxen.config.StorageTarget;
import dev.jxen.error.InvalidInputException;
import dev.jxen.lifecycle.DeleteGuest;
import dev.jxen.lifecycle.GuestRun;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.storage.GuestStorage;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.xen.DomUConfigFile;
import dev.jxen.xen.GuestConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jxen-delete-image}: removes exactly what a stopped guest owns (the disks its .cfg names, or
 * without one the images or volumes a create makes for it) and then its .cfg. The storage target for
 * a guest without a .cfg comes from the options, else from xen-tools.conf.
 */
@Command(name = "delete-image", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Delete Xen guests made by jxen or xen-tools: exactly their images or volumes, then their .cfg.",
        exitCodeListHeading = "%nExit status (with several guests, each is tried and the worst status is the command's):%n", exitCodeList = {"0:deleted (or nothing to delete)", "2:invalid input",
            "3:the guest is running, its state cannot be known (see --force), its storage is in use, or its lock is held",
            "4:a removal failed", "130:interrupted"})
public final class DeleteImageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    GuestSelection guests = new GuestSelection();
    @Mixin
    StorageLocation storage = new StorageLocation();
    @Option(names = "--dry-run", description = "Print what would be removed and remove nothing.")
    boolean dryRun;
    @Option(names = "--force", description = "Delete even when xl cannot tell whether the guest runs. A running guest is never deleted.")
    boolean force;
    @Option(names = "--verbose", description = "Show each command and its output.")
    boolean verbose;
    @Option(names = "--json", description = "Print the plan (with --dry-run) or the events as JSON lines, the last one a summary per guest "
            + "saying whether anything was deleted.")
    boolean json;
    @Option(names = "--test", description = "Accepted for xen-delete-image's sake, where it skips the check for root; jxen has no such check, "
            + "so it changes nothing (a warning says so).")
    boolean test;
    @Option(names = "--manual", description = "Print this help and where the full manual is.")
    boolean manual;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (manual) {
            return Manual.print(spec.commandLine());
        }
        if (test) {
            spec.commandLine().getErr().println("warning: --test changes nothing: jxen-delete-image does not check for root itself "
                    + "(removing volumes or files that root owns needs it anyway)");
        }
        Dom0Paths paths = Dom0Paths.fromEnvironment();
        ConfigSources sources = ConfigSources.forProcess(guests.configDir);
        ConfigLayers layers = ConfigLoader.load(sources, storage.addTo(new CommandLineLayer()).build());
        LocalCommandRunner runner = new LocalCommandRunner();
        List<String> names = guests.all();
        if (dryRun) {
            for (String n : names) {
                Found f = find(n, layers, sources, runner, paths);
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("hostname", n);
                fields.put("cfg", f.cfg().toString());
                fields.put("exists", f.exists());
                fields.put("owned", f.storage().owned().stream().map(GuestStorage.Owned::describe).toList());
                fields.put("left_alone", f.storage().leftAlone());
                PlanPrinter.print("Delete " + n + (f.own().isPresent() ? ", as its " + f.cfg() + " says" : ", which has no " + f.cfg()), fields,
                        f.pipeline().plan(), json, out);
            }
            out.flush();
            return 0;
        }
        GuestRun run = new GuestRun("delete-image", paths, runner);
        return EachGuest.run(names, spec.commandLine(), n -> {
            EventHandlers events = EachGuest.events(out, json, verbose);
            return run.run(n, guests.log(layers, n), events, () -> job(find(n, layers, sources, runner, paths)));
        });
    }

    /**
     * What a delete of one guest finds: its .cfg, what it owns, and the stages that remove that.
     *
     * @param own its .cfg as read, if it has one
     */
    private record Found(String guest, Path cfg, Optional<DomUConfigFile> own, GuestStorage storage, Pipeline pipeline) {
        boolean exists() {
            return own.isPresent() || !storage.owned().isEmpty();
        }
    }

    private Found find(String guest, ConfigLayers layers, ConfigSources sources, LocalCommandRunner runner, Dom0Paths paths) throws IOException {
        Path cfg = guests.output(layers).resolve(guest + guests.extension(layers));
        Optional<DomUConfigFile> own = Files.exists(cfg) ? Optional.of(DomUConfigFile.read(cfg)) : Optional.empty();
        StorageTarget location = (own.isPresent() ? storage.locationBeside(layers) : storage.location(layers)).orElse(null);
        if (location == null && own.isEmpty()) {
            throw new InvalidInputException("no " + cfg + " and no storage target: give --dir DIR, --lvm VG or --zpool POOL");
        }
        GuestStorage found = GuestStorage.find(guest, own, location, partitions(layers, sources), others(cfg, guests.extension(layers)), runner);
        return new Found(guest, cfg, own, found, DeleteGuest.pipeline(guest, found, cfg, Path.of("/etc/xen/auto"), force, paths));
    }

    private static GuestRun.Job job(Found f) {
        return GuestRun.Job.of(f.pipeline(), List.of("jxen " + Version.get() + " deleting " + f.guest()), (ctx, millis) -> {
            GuestStorage storage = f.storage();
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("hostname", f.guest());
            fields.put("deleted", f.exists());
            fields.put("removed", storage.owned().stream().map(GuestStorage.Owned::describe).toList());
            fields.put("cfg", f.own().isPresent() ? f.cfg().toString() : null);
            fields.put("left_alone", storage.leftAlone());
            List<String> lines = new ArrayList<>();
            lines.add(f.exists() ? "deleted " + f.guest() : f.guest() + ": nothing to delete" + (storage.leftAlone().isEmpty() ? "" : "; left alone:"));
            if (!f.exists()) {
                storage.leftAlone().forEach(l -> lines.add("  " + l));
            }
            return new JxenEvent.Summary(true, fields, lines);
        }).runningOnlyIf(f.exists());
    }

    /** The partition names a create makes: those of the configured layout, else swap and disk. */
    private static List<String> partitions(ConfigLayers layers, ConfigSources sources) {
        Optional<Path> layout = layers.text("partitions").filter(s -> !s.isBlank()).flatMap(sources::partitions);
        return layout.map(f -> PartitionLayout.read(f).stream().map(PartitionSpec::name).toList()).orElse(List.of("swap", "disk"));
    }

    /** Every other guest's .cfg in the same directory: their disks are never this guest's. */
    private List<DomUConfigFile> others(Path cfg, String extension) throws IOException {
        GuestConfigs all = GuestConfigs.in(cfg.getParent(), extension);
        all.skipped().forEach(w -> spec.commandLine().getErr().println("warning: cannot read " + w + "; its disks are not checked"));
        return all.except(cfg);
    }
}
