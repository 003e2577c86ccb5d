package dev.jxen.cli;

import dev.jxen.pipeline.ShutdownGate;
import picocli.CommandLine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Entry point of every launcher: {@code jxen SUBCOMMAND ...}; {@code jxen-create-image} is {@code jxen create-image}. */
public final class Main {
    private Main() {
    }

    /** The subcommands, in the order of the help. */
    static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("create-image", CreateImageCommand::new);
        m.put("list-images", ListImagesCommand::new);
        m.put("delete-image", DeleteImageCommand::new);
        m.put("update-image", UpdateImageCommand::new);
        m.put("cache", CacheCommand::new);
        m.put("recover", RecoverCommand::new);
        return Collections.unmodifiableMap(m);
    }

    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line with every subcommand, or with {@code only} alone: picocli reads the options of
     * each subcommand it is given, which took a twentieth of a second of every run for commands not run.
     */
    static CommandLine commandLine(String only) {
        CommandLine cl = new CommandLine(new JxenCommand());
        SUBCOMMANDS.forEach((name, command) -> {
            if (only == null || only.equals(name)) {
                cl.addSubcommand(name, command.get());
            }
        });
        ErrorReporter reporter = new ErrorReporter();
        cl.setExecutionExceptionHandler(reporter);
        cl.setParameterExceptionHandler(reporter);
        cl.setExitCodeExceptionMapper(reporter);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine create = cl.getSubcommands().get("create-image");
        if (create != null) {
            create.setOverwrittenOptionsAllowed(true); // the last value wins, as with xen-tools' Getopt::Long
            CreateImageCommand.SECTIONS.install(create);
        }
        return cl;
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine(args.length > 0 && SUBCOMMANDS.containsKey(args[0]) ? args[0] : null);
        int status = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        ShutdownGate.release();
        System.exit(status);
    }
}
