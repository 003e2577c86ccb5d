package dev.jxen.cli;

import dev.jxen.error.ExitCodes;
import dev.jxen.lifecycle.GuestRun;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A command over several guests: each guest's run goes ahead whatever became of the ones before
 * (an interrupt alone stops them), each failure is reported as it happens, and the command's
 * status is the worst of theirs.
 */
final class EachGuest {
    /** The run of one guest. */
    @FunctionalInterface
    interface Run {
        GuestRun.Outcome of(String guest);
    }

    private EachGuest() {
    }

    /** The events of one guest's run: --json lines, or the console. */
    static dev.jxen.pipeline.event.EventHandlers events(PrintWriter out, boolean json, boolean verbose) {
        return new dev.jxen.pipeline.event.EventHandlers(new dev.jxen.pipeline.event.Redactor()).add(json
                ? new dev.jxen.pipeline.event.JsonLinesListener(out) : new dev.jxen.pipeline.event.ConsoleListener(out, verbose, false, System.console() != null));
    }

    static int run(List<String> guests, CommandLine cl, Run run) {
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName("-");
        List<GuestRun.Outcome> outcomes = new ArrayList<>();
        for (String g : guests) {
            GuestRun.Outcome o = run.of(g);
            outcomes.add(o);
            if (!o.ok()) {
                ErrorReporter.report(err, name, guests.size() > 1 ? g : null, o.failure(), false);
                if (o.status() == ExitCodes.INTERRUPTED) {
                    break;
                }
            }
        }
        cl.getOut().flush();
        List<String> failed = outcomes.stream().filter(o -> !o.ok()).map(o -> o.guest() + " (exit " + o.status() + ")").toList();
        if (guests.size() > 1 && !failed.isEmpty()) {
            List<String> ok = outcomes.stream().filter(GuestRun.Outcome::ok).map(GuestRun.Outcome::guest).toList();
            List<String> notRun = guests.subList(outcomes.size(), guests.size());
            err.println(name + ": failed: " + String.join(", ", failed) + (ok.isEmpty() ? "" : "; done: " + String.join(", ", ok))
                    + (notRun.isEmpty() ? "" : "; not started: " + String.join(", ", notRun)));
            err.flush();
        }
        return GuestRun.worst(outcomes);
    }
}
