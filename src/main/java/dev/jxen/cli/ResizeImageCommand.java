package dev.jxen.cli;

import dev.jxen.cli.option.GuestSelection;
import dev.jxen.cli.option.StorageLocation;
import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLayers;
import dev.jxen.config.ConfigLoader;
import dev.jxen.config.ConfigSources;
import dev.jxen.config.Mountpoint;
import dev.jxen.config.PartitionLayout;
import dev.jxen.config.PartitionSpec;
import dev.jxen.config.Size;
import dev.jxen.config.StorageTarget;
import dev.jxen.error.InvalidInputException;
import dev.jxen.error.JxenException;
import dev.jxen.lifecycle.GuestRun;
import dev.jxen.lifecycle.ResizeGuest;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.storage.DiskGrowth;
import dev.jxen.storage.DiskNow;
import dev.jxen.storage.GrowableDisk;
import dev.jxen.storage.GuestStorage;
import dev.jxen.system.CommandRunner;
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
 * {@code jxen-resize-image}: grows one disk of a stopped guest and the filesystem on it, as
 * xen-resize-guest does (its options: --hostname, --add, --dir, --lvm, --force). The disk is the root's
 * unless --partition names another mountpoint; it is found in the guest's .cfg, or without one by its
 * name under the storage target.
 */
@Command(name = "resize-image", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Grow a disk of stopped Xen guests (image file, LVM plain or thin, ZFS volume) and the ext2/3/4, xfs or btrfs "
                + "filesystem on it.",
        exitCodeListHeading = "%nExit status (with several guests, each is tried and the worst status is the command's):%n", exitCodeList = {
            "0:grown, or a dry run whose checks pass", "2:invalid input (a size that is no size, a --size that would shrink the disk, a "
                    + "--partition no layout names, a guest named twice)",
            "3:the guest is running or its state cannot be known, its storage is in use, its filesystem is not clean or not one jxen grows, "
                    + "there is no room for what is added, a tool is missing, or its lock is held; nothing was changed (a dry run ends so too)",
            "4:growing failed; the message says exactly what became of the disk: truncated or reduced back to its old size (only while "
                    + "its filesystem, by its superblock, still ended there and nothing held it), or left at its new size, and why",
            "130:interrupted; the disk is put back or left grown as for 4, and the log says which"})
public final class ResizeImageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    GuestSelection guests = new GuestSelection();
    @Mixin
    StorageLocation storage = new StorageLocation();
    @Option(names = "--add", paramLabel = "SIZE", description = "How much to add to the disk: 1G, 512M, or a bare number of MiB "
            + "(--add=1 adds 1M, to an image as to a volume; xen-resize-guest adds 1024 times its number to an image). Rounded up to what "
            + "the storage grows in.")
    String add;
    @Option(names = "--size", paramLabel = "SIZE", description = "The disk's new size (4G), instead of --add. A size that is not larger "
            + "than the disk is refused: jxen never shrinks a disk.")
    String size;
    @Option(names = "--partition", paramLabel = "MOUNTPOINT", defaultValue = "/", description = "Grow the disk of the partition mounted "
            + "there. Default: / (the root disk, as xen-resize-guest grows).")
    String partition;
    @Option(names = "--partitions", paramLabel = "LAYOUT", description = "The partitions layout the guest was made with (a name in "
            + "partitions.d or a file), to find the disk of a --partition other than /. Default: partitions in xen-tools.conf.")
    String partitions;
    @Option(names = "--dry-run", description = "Print the disk, its size now and the commands that grow it, and change nothing.")
    boolean dryRun;
    @Option(names = "--force", description = "Accepted for xen-resize-guest's sake, where it skips a 10-second pause before the resize; "
            + "jxen does not pause, so it changes nothing (a warning says so). It never lets a guest that runs, or whose state xl cannot "
            + "tell, be resized.")
    boolean force;
    @Option(names = "--verbose", description = "Show each command and its output.")
    boolean verbose;
    @Option(names = "--json", description = "Print the plan (with --dry-run) or the events as JSON lines, the last one of each guest a "
            + "summary with the disk, its old and new size and its filesystem's.")
    boolean json;
    @Option(names = "--manual", description = "Print this help and where the full manual is.")
    boolean manual;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (manual) {
            return Manual.print(spec.commandLine());
        }
        if (force) {
            spec.commandLine().getErr().println("warning: --force changes nothing: xen-resize-guest's --force skips its 10-second pause, and "
                    + "jxen-resize-image does not pause; a guest that runs, or whose state xl cannot tell, is refused all the same");
        }
        Size addSize = parse("--add", add, true);
        Size newSize = parse("--size", size, false);
        String problem = Mountpoint.problem(partition);
        if (problem != null) {
            throw new InvalidInputException("--partition " + partition + ": " + problem);
        }
        Dom0Paths paths = Dom0Paths.fromEnvironment();
        ConfigSources sources = ConfigSources.forProcess(guests.configDir);
        CommandLineLayer cli = storage.addTo(new CommandLineLayer());
        if (partitions != null) {
            cli.add("partitions", List.of(partitions));
        }
        ConfigLayers layers = ConfigLoader.load(sources, cli.build());
        List<PartitionSpec> layout = layout(layers, sources);
        LocalCommandRunner runner = new LocalCommandRunner();
        List<String> names = guests.all();
        List<String> twice = names.stream().filter(n -> names.indexOf(n) != names.lastIndexOf(n)).distinct().toList();
        if (!twice.isEmpty()) {
            throw new InvalidInputException("the guest " + String.join(", ", twice) + " is named twice: it would be grown twice; name each guest once");
        }
        if (dryRun) {
            List<GuestRun.Outcome> outcomes = new ArrayList<>();
            for (String n : names) {
                Found f = find(n, layers, layout, runner, paths, addSize, newSize);
                Map<String, Object> fields = fields(f);
                PlanPrinter.print("Resize " + n + ": grow " + f.growth().disk().describe() + " from " + new Size(f.growth().now().bytes())
                        + " to " + new Size(f.growth().newBytes()) + " and its " + f.growth().now().fsType() + " filesystem", fields,
                        f.pipeline().plan(), json, out);
                out.flush();
                try {
                    f.pipeline().verify(); // what the run checks before any stage, so that the dry run ends as the run would begin
                    outcomes.add(new GuestRun.Outcome(n, 0, null));
                } catch (JxenException e) {
                    ErrorReporter.report(spec.commandLine().getErr(), spec.qualifiedName("-"), names.size() > 1 ? n : null, e, false);
                    outcomes.add(new GuestRun.Outcome(n, e.exitCode(), e));
                }
            }
            return GuestRun.worst(outcomes);
        }
        GuestRun run = new GuestRun("resize-image", paths, runner);
        return EachGuest.run(names, spec.commandLine(), n -> {
            EventHandlers events = EachGuest.events(out, json, verbose);
            return run.run(n, guests.log(layers, n), events, () -> job(find(n, layers, layout, runner, paths, addSize, newSize)));
        });
    }

    private static Size parse(String option, String text, boolean bareMeansMiB) {
        if (text == null) {
            return null;
        }
        try {
            return Size.parse(text, bareMeansMiB);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option + ": " + e.getMessage());
        }
    }

    /** What a resize of one guest finds: its .cfg, what it owns, the disk to grow as it is now, and the stages. */
    private record Found(String guest, Path cfg, GrowableDisk disk, DiskGrowth growth, ResizeGuest.Stages stages) {
        Pipeline pipeline() {
            return stages.pipeline();
        }
    }

    private Found find(String guest, ConfigLayers layers, List<PartitionSpec> layout, CommandRunner runner, Dom0Paths paths,
                       Size addSize, Size newSize) throws IOException {
        Path cfg = guests.output(layers).resolve(guest + guests.extension(layers));
        Optional<DomUConfigFile> own = Files.exists(cfg) ? Optional.of(DomUConfigFile.read(cfg)) : Optional.empty();
        StorageTarget location = (own.isPresent() ? storage.locationBeside(layers) : storage.location(layers)).orElse(null);
        if (location == null && own.isEmpty()) {
            throw new InvalidInputException("no " + cfg + " and no storage target: give --dir DIR, --lvm VG or --zpool POOL");
        }
        List<String> names = layout.isEmpty() ? List.of("swap", "disk") : layout.stream().map(PartitionSpec::name).toList();
        GuestStorage owned = GuestStorage.find(guest, own, location, names, others(cfg, guests.extension(layers)), runner);
        GrowableDisk disk = GrowableDisk.find(guest, own, location, partition, layout, owned);
        DiskGrowth growth = DiskGrowth.of(disk, DiskNow.measure(disk, runner), addSize, newSize);
        return new Found(guest, cfg, disk, growth, ResizeGuest.pipeline(guest, cfg, owned, growth, paths));
    }

    private static Map<String, Object> fields(Found f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostname", f.guest());
        m.put("disk", f.disk().device());
        m.put("vdev", f.disk().vdev().isEmpty() ? null : f.disk().vdev());
        m.put("mountpoint", f.disk().mountpoint());
        m.put("chosen_because", f.disk().chosenBecause());
        m.put("filesystem", f.growth().now().fsType());
        m.put("old_bytes", f.growth().now().bytes());
        m.put("new_bytes", f.growth().newBytes());
        return m;
    }

    private static GuestRun.Job job(Found f) {
        return GuestRun.Job.of(f.pipeline(), List.of("jxen " + Version.get() + " resizing " + f.guest() + ": " + f.disk().describe()
                + ", " + f.disk().chosenBecause()), (ctx, millis) -> {
            long fsBytes = ctx.get(f.stages().filesystemBytes());
            Map<String, Object> fields = fields(f);
            fields.put("filesystem_bytes", fsBytes);
            fields.put("elapsed_ms", millis);
            return new JxenEvent.Summary(true, fields, List.of("grew " + f.guest() + "'s " + f.disk().mountpoint() + ": " + f.disk().describe()
                    + " from " + new Size(f.growth().now().bytes()) + " to " + new Size(f.growth().newBytes()) + "; its " + f.growth().now().fsType()
                    + " filesystem spans " + new Size(fsBytes) + " now"));
        });
    }

    /** The layout named by --partitions or xen-tools.conf, or none. */
    private static List<PartitionSpec> layout(ConfigLayers layers, ConfigSources sources) {
        Optional<String> name = layers.text("partitions").filter(s -> !s.isBlank());
        if (name.isEmpty()) {
            return List.of();
        }
        Path file = sources.partitions(name.get()).orElseThrow(() -> new InvalidInputException("--partitions " + name.get()
                + ": no such layout (a name in partitions.d, or a file)"));
        return PartitionLayout.read(file);
    }

    /** Every other guest's .cfg in the same directory: their disks are never this guest's. */
    private List<DomUConfigFile> others(Path cfg, String extension) throws IOException {
        GuestConfigs all = GuestConfigs.in(cfg.getParent(), extension);
        all.skipped().forEach(w -> spec.commandLine().getErr().println("warning: cannot read " + w + "; its disks are not checked"));
        return all.except(cfg);
    }
}
