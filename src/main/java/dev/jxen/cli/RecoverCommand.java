package dev.jxen.cli;

import dev.jxen.config.Hostname;
import dev.jxen.error.InvalidInputException;
import dev.jxen.lifecycle.RunState;
import dev.jxen.system.HostLock;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.LocalCommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jxen recover [HOST...]}: undoes what killed jxen runs left (processes, mounts, half-made storage). */
@Command(name = "recover", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Undo what a jxen run that was killed (SIGKILL, a crash, a power loss) left behind: its processes, mounts and "
            + "loop devices, and what it had made, newest first, as its own rollback would have.",
            "Without a guest name, every run that left a journal in the state directory (/var/lib/jxen/runs) is recovered."},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:recovered, or nothing to recover", "2:invalid input",
            "3:a run of that guest is still going on (its lock is held), or something could not be undone"})
public final class RecoverCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "HOST", arity = "0..*", description = "Guests whose killed runs to undo (default: all).")
    List<String> hosts = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Dom0Paths paths = Dom0Paths.fromEnvironment();
        List<String> names = new ArrayList<>();
        for (String n : hosts) {
            try {
                Hostname.parse(n);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(n + ": " + e.getMessage());
            }
            names.add(n);
        }
        PrintWriter err = spec.commandLine().getErr();
        if (hosts.isEmpty() && Files.isDirectory(paths.stateDir())) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(paths.stateDir(), "*.json")) {
                for (Path p : s) {
                    String file = p.getFileName().toString();
                    String n = file.substring(0, file.length() - 5);
                    if (file.startsWith(".")) {
                        continue;
                    }
                    try {
                        Hostname.parse(n);
                        names.add(n);
                    } catch (IllegalArgumentException e) {
                        err.println("jxen recover: skipped " + p.toString().replaceAll("\\p{Cntrl}", "?") + ": jxen names its journals after guests, "
                                + "and this name is none (" + e.getMessage() + ")");
                    }
                }
            }
        }
        int recovered = 0;
        List<String> failed = new ArrayList<>();
        for (String n : names) {
            try (HostLock lock = HostLock.acquire(paths.lockDir(), n)) {
                List<String> lines = RunState.recover(n, paths, new LocalCommandRunner());
                lines.forEach(out::println);
                recovered += lines.isEmpty() ? 0 : 1;
            } catch (dev.jxen.error.JxenException e) {
                err.println("jxen recover: " + n + ": " + e.getMessage());
                failed.add(n);
            }
        }
        if (!failed.isEmpty()) {
            out.flush();
            throw new dev.jxen.error.HostStateException("could not recover " + String.join(", ", failed) + "; the others were recovered",
                    "see the lines above for what is left of each");
        }
        if (recovered == 0) {
            out.println("nothing to recover" + (hosts.isEmpty() ? "" : " for " + String.join(", ", hosts)));
        }
        out.flush();
        return 0;
    }
}
