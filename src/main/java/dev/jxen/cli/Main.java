package dev.jxen.cli;

import dev.jxen.pipeline.ShutdownGate;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of every launcher: {@code jxen SUBCOMMAND ...}; {@code jxen-create-image} is {@code jxen create-image}. */
public final class Main {
    private Main() {
    }

    public static CommandLine commandLine() {
        return configure(new CommandLine(new JxenCommandTree()));
    }

    /**
     * The command line with subcommand {@code only} alone, or with every subcommand where there is no
     * such subcommand: picocli reads the options of each subcommand it is given, which took a
     * twentieth of a second of every run for the commands not run.
     */
    static CommandLine commandLine(String only) {
        for (Class<?> c : JxenCommandTree.class.getAnnotation(Command.class).subcommands()) {
            if (c.getAnnotation(Command.class).name().equals(only)) {
                CommandLine cl = new CommandLine(new JxenCommand());
                try {
                    cl.addSubcommand(only, c.getDeclaredConstructor().newInstance());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot make the command " + c.getName(), e);
                }
                return configure(cl);
            }
        }
        return commandLine();
    }

    private static CommandLine configure(CommandLine cl) {
        ErrorReporter reporter = new ErrorReporter();
        cl.setExecutionExceptionHandler(reporter);
        cl.setParameterExceptionHandler(reporter);
        cl.setExitCodeExceptionMapper(reporter);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExpandAtFiles(false); // an argument "@FILE" is that text, never the words of a file
        CommandLine create = cl.getSubcommands().get("create-image");
        if (create != null) {
            create.setOverwrittenOptionsAllowed(true); // the last value wins, as with xen-tools' Getopt::Long
            CreateImageCommand.SECTIONS.install(create);
        }
        return cl;
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine(args.length > 0 ? args[0] : null);
        int status = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        ShutdownGate.release();
        System.exit(status);
    }
}
