package dev.jxen.cli;

import dev.jxen.cli.option.AccountOptions;
import dev.jxen.cli.option.GeneralOptions;
import dev.jxen.cli.option.InstallOptions;
import dev.jxen.cli.option.JxenOptions;
import dev.jxen.cli.option.NetworkOptions;
import dev.jxen.cli.option.SizingOptions;
import dev.jxen.cli.option.StorageOptions;
import dev.jxen.config.ConfigLayer;
import dev.jxen.config.ConfigLayers;
import dev.jxen.config.ConfigLoader;
import dev.jxen.config.ConfigSources;
import dev.jxen.config.ImageSpec;
import dev.jxen.config.ImageSpecBuilder;
import dev.jxen.error.HostStateException;
import dev.jxen.lifecycle.CreateGuest;
import dev.jxen.lifecycle.GuestRun;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.event.ConsoleListener;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JsonLinesListener;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.render.DomUConfigStage;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.LocalCommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jxen-create-image}: parse, layer the configuration, build the spec, plan or run the pipeline. */
@Command(name = "create-image", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        abbreviateSynopsis = true,
        usageHelpAutoWidth = true,
        description = {"Create a Xen guest: its disks, a Debian or Ubuntu base system, its configuration, and its xl .cfg.",
            "Options, config files (/etc/xen-tools/xen-tools.conf), hooks and roles are those of xen-tools' xen-create-image.",
            "Precedence, lowest first: built-in defaults, xen-tools.conf, --config, --profile, the command line."},
        footerHeading = "%nExamples:%n",
        footer = {"  jxen-create-image --hostname web1 --dir /srv/xen --dist bookworm --ip 192.0.2.10 --netmask 255.255.255.0 --gateway 192.0.2.1",
            "  jxen-create-image --hostname t1 --lvm vg0 --dhcp --dry-run"},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:success (or a dry run)", "1:internal error (a bug)",
            "2:invalid input: an option, a config file, a profile or a partitions file",
            "3:host not ready: name in use, guest running or its state unknown, storage in use, a device holding data, no space, tool missing, lock held, not root",
            "4:a stage failed; what it created was rolled back (unless --keep); a guest already started with --boot stays",
            "130:interrupted; rolled back"})
public final class CreateImageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    // Mixins, not argument groups, with OptionSections giving the help its headings: picocli builds a
    // group's whole synopsis for every option typed into it, which took a tenth of a second of each create.
    @Mixin(name = "general")
    GeneralOptions general = new GeneralOptions();
    @Mixin(name = "sizing")
    SizingOptions sizing = new SizingOptions();
    @Mixin(name = "storage")
    StorageOptions storage = new StorageOptions();
    @Mixin(name = "install")
    InstallOptions install = new InstallOptions();
    @Mixin(name = "network")
    NetworkOptions network = new NetworkOptions();
    @Mixin(name = "accounts")
    AccountOptions accounts = new AccountOptions();
    @Mixin(name = "jxen")
    JxenOptions jxen = new JxenOptions();

    /** The help's option list under xen-tools' headings, one section a mixin. */
    static final OptionSections SECTIONS = new OptionSections(List.of(
            new OptionSections.Section("general", "%nGeneral options:%n"),
            new OptionSections.Section("sizing", "%nSize and disk options:%n"),
            new OptionSections.Section("storage", "%nStorage target (exactly one):%n"),
            new OptionSections.Section("install", "%nInstallation options:%n"),
            new OptionSections.Section("network", "%nNetworking options:%n"),
            new OptionSections.Section("accounts", "%nAccounts:%n"),
            new OptionSections.Section("jxen", "%njxen options:%n")));

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // read from what was typed, never from the mixins' fields: only the parse result tells a typed
        // option from a default, and keeps every value of a repeated one
        ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedOption("--manual")) {
            return Manual.print(spec.commandLine());
        }
        Dom0Paths dom0 = Dom0Paths.fromEnvironment();
        ConfigLayer cli = CommandLineReader.layer(parsed);
        ConfigSources sources = ConfigSources.forProcess(cli.values().containsKey("config-dir") ? cli.values().get("config-dir").text() : null);
        ConfigLayers layers = ConfigLoader.load(sources, cli);
        PrintWriter err = spec.commandLine().getErr();
        for (ConfigLayer l : layers.layers()) {
            l.warnings().forEach(w -> err.println("warning: " + w));
        }
        if (parsed.hasMatchedOption("--dumpconfig")) {
            ConfigDump.print(layers, ImageSpecBuilder.bootExplained(layers, sources, new Dom0(dom0)), out);
            return 0;
        }
        ImageSpec image = new ImageSpecBuilder(layers, sources, new Dom0(dom0)).build();
        image.warnings().forEach(w -> err.println("warning: " + w));
        LocalCommandRunner runner = new LocalCommandRunner();
        if (image.run().dryRun()) {
            Pipeline pipeline = CreateGuest.assemble(image, sources, dom0, runner).pipeline();
            PlanPrinter.print(image, DomUConfigStage.render(sources, image, runner), pipeline.plan(), image.run().json(), out);
            return 0;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new HostStateException("jxen-create-image makes filesystems and mounts them, which needs root",
                    "run it as root (sudo), or try --dry-run to see what it would do");
        }
        Redactor redactor = new Redactor();
        if (image.accounts().password() != null) {
            redactor.addSecret(image.accounts().password().value());
        }
        EventHandlers events = new EventHandlers(redactor);
        if (image.run().json()) {
            events.add(new JsonLinesListener(out));
        } else {
            events.add(new ConsoleListener(out, image.run().verbose(), image.run().quiet(), System.console() != null));
        }
        GuestRun.Outcome outcome = new GuestRun("create-image", dom0, runner).run(image.hostname().fqdn(), image.run().log(), events,
                () -> job(image, CreateGuest.assemble(image, sources, dom0, runner))); // under the lock, after recovery
        if (!outcome.ok()) {
            ErrorReporter.report(err, spec.qualifiedName("-"), null, outcome.failure(), parsed.hasMatchedOption("--debug"));
        }
        return outcome.status();
    }

    private static GuestRun.Job job(ImageSpec image, CreateGuest create) {
        return GuestRun.Job.of(create.pipeline(), List.of("jxen " + Version.get() + " creating " + image.hostname()),
                (ctx, millis) -> Summary.of(image, create, ctx, millis)).keeping(image.run().keep());
    }
}
