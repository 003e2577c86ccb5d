package dev.jxen.cli;

import dev.jxen.pipeline.ShutdownGate;
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
        CommandLine cl = commandLine();
        int status = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        ShutdownGate.release();
        System.exit(status);
    }
}
