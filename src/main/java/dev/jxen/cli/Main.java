package dev.jxen.cli;

import picocli.CommandLine;

/** Entry point of every launcher: {@code jxen SUBCOMMAND ...}; {@code jxen-create-image} is {@code jxen create-image}. */
public final class Main {
    private Main() {
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new JxenCommand());
        ErrorReporter reporter = new ErrorReporter();
        cl.setExecutionExceptionHandler(reporter);
        cl.setParameterExceptionHandler(reporter);
        cl.setExitCodeExceptionMapper(reporter);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
