package dev.jxen.cli;

import dev.jxen.error.ExitCodes;
import dev.jxen.error.JxenException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * Prints one plain error line (and a hint) for every failure, with the stack trace only under
 * --debug, and maps it to the documented exit status.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler, IExitCodeExceptionMapper {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName("-");
        if (ex instanceof JxenException j) {
            report(err, name, null, j, debug(parsed));
            return j.exitCode();
        }
        err.println(name + ": internal error: " + ex);
        ex.printStackTrace(err);
        err.flush();
        return ExitCodes.SOFTWARE;
    }

    /**
     * The error lines of a failure: what was wrong, and the hint.
     *
     * @param guest the guest it happened to, named first where a command works on several; or null
     */
    static void report(PrintWriter err, String name, String guest, JxenException j, boolean debug) {
        err.println(name + ": error: " + (guest == null ? "" : guest + ": ") + j.getMessage());
        if (j.hint() != null) {
            err.println(name + ": hint: " + j.hint());
        }
        if (debug && j.getCause() != null) {
            j.getCause().printStackTrace(err);
        }
        err.flush();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName("-");
        err.println(name + ": error: " + ex.getMessage());
        err.println(name + ": hint: run '" + name + " --help' for the options and their values");
        err.flush();
        return ExitCodes.INVALID_INPUT;
    }

    @Override
    public int getExitCode(Throwable t) {
        return t instanceof JxenException j ? j.exitCode() : ExitCodes.SOFTWARE;
    }

    private static boolean debug(ParseResult parsed) {
        ParseResult p = parsed;
        while (p != null) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
            p = p.subcommand();
        }
        return false;
    }
}
