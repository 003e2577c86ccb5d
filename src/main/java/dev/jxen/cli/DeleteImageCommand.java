package dev.jxen.cli;

import dev.jxen.cli.option.GuestSelection;
import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLayers;
import dev.jxen.config.ConfigLoader;
import dev.jxen.config.ConfigSources;
import dev.jxen.config.Hostname;
import dev.jxen.error.HostStateException;
import dev.jxen.error.InvalidInputException;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.HostLock;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.xen.DomUConfigFile;
import dev.jxen.xen.XlDomains;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jxen-delete-image}: removes a stopped guest's images or volumes (every partition, extra ones
 * included) and its .cfg. The storage target comes from the options, else from xen-tools.conf.
 */
@Command(name = "delete-image", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Delete Xen guests made by jxen or xen-tools: their images or logical volumes and their .cfg.",
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:deleted (or nothing to delete)", "2:invalid input",
            "3:the guest is running, or its lock is held", "4:a removal failed"})
public final class DeleteImageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    GuestSelection guests = new GuestSelection();
    @Option(names = "--dir", paramLabel = "DIR", description = "Images are under DIR/domains/NAME/.")
    String dir;
    @Option(names = "--lvm", paramLabel = "VG", description = "Volumes NAME-* are in volume group VG.")
    String lvm;
    @Option(names = "--zpool", paramLabel = "POOL", description = "Volumes NAME-* are in ZFS pool POOL.")
    String zpool;
    @Option(names = "--dry-run", description = "Print what would be removed and remove nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> all = guests.all();
        resolveTarget();
        CommandRunner runner = new LocalCommandRunner();
        for (String n : all) {
            Hostname host;
            try {
                host = Hostname.parse(n);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--hostname=" + n + ": " + e.getMessage());
            }
            try (HostLock lock = HostLock.acquire(HostLock.defaultDir(), host.fqdn())) {
                delete(host, runner, out);
            }
        }
        return 0;
    }

    private void resolveTarget() {
        if (dir != null || lvm != null || zpool != null) {
            return;
        }
        ConfigLayers layers = ConfigLoader.load(ConfigSources.forProcess(guests.configDir), new CommandLineLayer().build());
        dir = layers.text("dir").filter(s -> !s.isBlank()).orElse(null);
        lvm = layers.text("lvm").filter(s -> !s.isBlank()).orElse(null);
        zpool = layers.text("zpool").filter(s -> !s.isBlank()).orElse(null);
        if (dir == null && lvm == null && zpool == null) {
            throw new InvalidInputException("no storage target: give --dir DIR, --lvm VG or --zpool POOL");
        }
    }

    private void delete(Hostname host, CommandRunner runner, PrintWriter out) throws Exception {
        String name = host.fqdn();
        if (XlDomains.running(name)) {
            throw new HostStateException(name + " is running", "stop it first: xl shutdown -w " + name);
        }
        List<dev.jxen.system.Command> removals = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Path cfg = guests.output.resolve(name + guests.extension);
        if (dir != null) {
            Path domain = Path.of(dir, "domains", name);
            if (Files.isDirectory(domain)) {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(domain)) {
                    s.forEach(files::add);
                }
                files.add(domain);
            }
        }
        if (lvm != null) {
            var r = runner.run(dev.jxen.system.Command.of("lvs", "--noheadings", "-o", "lv_name", lvm).capturing(), l -> { });
            if (r.ok()) {
                for (String lv : r.stdout().split("\\s+")) {
                    if (lv.startsWith(name + "-")) {
                        removals.add(dev.jxen.system.Command.of("lvremove", "--yes", lvm + "/" + lv));
                    }
                }
            }
        }
        if (zpool != null) {
            var r = runner.run(dev.jxen.system.Command.of("zfs", "list", "-H", "-o", "name", "-r", zpool).capturing(), l -> { });
            if (r.ok()) {
                for (String vol : r.stdout().split("\\s+")) {
                    if (vol.startsWith(zpool + "/" + name + "-")) {
                        removals.add(dev.jxen.system.Command.of("zfs", "destroy", vol));
                    }
                }
            }
        }
        if (Files.exists(cfg)) {
            DomUConfigFile c = DomUConfigFile.read(cfg);
            for (String t : c.diskTargets()) {
                Path p = Path.of(t);
                if (files.stream().noneMatch(p::equals) && removals.stream().noneMatch(x -> x.display().endsWith(p.getFileName().toString()))
                        && dir != null && p.startsWith(Path.of(dir, "domains", name))) {
                    files.add(0, p);
                }
            }
            files.add(cfg);
        }
        if (files.isEmpty() && removals.isEmpty()) {
            out.println(name + ": nothing to delete");
            return;
        }
        for (dev.jxen.system.Command c : removals) {
            out.println((dryRun ? "would run " : "run ") + c.display());
            if (!dryRun) {
                runner.check(c, l -> { });
            }
        }
        for (Path p : files) {
            out.println((dryRun ? "would remove " : "remove ") + p);
            if (!dryRun) {
                Files.deleteIfExists(p);
            }
        }
        Path auto = Path.of("/etc/xen/auto", name + guests.extension);
        if (Files.isSymbolicLink(auto)) {
            out.println((dryRun ? "would remove " : "remove ") + auto);
            if (!dryRun) {
                Files.delete(auto);
            }
        }
        out.flush();
    }
}
