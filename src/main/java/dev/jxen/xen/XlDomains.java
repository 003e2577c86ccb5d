package dev.jxen.xen;

import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.Dom0Paths;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which domains run, as xl says. A machine without a Xen hypervisor runs none; where there is one
 * and xl cannot answer (it fails or hangs), the answer is "unknown", never "stopped".
 *
 * @param running the names of the running domains, or empty when they cannot be known
 * @param why     where the answer came from, or why there is none
 */
public record XlDomains(Optional<Set<String>> running, String why) {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    public enum State { RUNNING, STOPPED, UNKNOWN }

    public static String xl(Dom0Paths dom0) {
        return dom0.xl();
    }

    public static XlDomains query(CommandRunner runner, Dom0Paths dom0) {
        return query(runner, dom0, LIMIT);
    }

    static XlDomains query(CommandRunner runner, Dom0Paths dom0, Duration limit) {
        if (!onXen(dom0)) {
            return new XlDomains(Optional.of(Set.of()), "this machine runs on no Xen hypervisor (" + dom0.hypervisorType() + "), so no guest runs here");
        }
        Command list = Command.of(dom0.xl(), "list").capturing().withTimeout(limit).withLabel("xl");
        CommandResult r = runner.run(list, line -> { });
        if (!r.ok()) {
            return new XlDomains(Optional.empty(), "'" + list.display() + "' failed (status " + r.status() + ")"
                    + (r.tail().isEmpty() ? "" : ": " + String.join(" / ", r.tail())));
        }
        return new XlDomains(Optional.of(names(r.stdout())), "xl list");
    }

    /** The domain names in {@code xl list}'s output: the first column, below its heading. */
    public static Set<String> names(String xlList) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : xlList.split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty() && !name.equals("Name")) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean onXen(Dom0Paths dom0) {
        try {
            return Files.isRegularFile(dom0.hypervisorType()) && Files.readString(dom0.hypervisorType()).strip().equals("xen");
        } catch (IOException e) {
            return true; // cannot tell whether this is a Xen host: ask xl, whose failure then reads as unknown
        }
    }

    /** A domain being migrated runs under its name with {@code --incoming} or {@code --migratedaway} appended: running too. */
    public State state(String name) {
        return running.map(r -> r.contains(name) || r.contains(name + "--incoming") || r.contains(name + "--migratedaway")
                ? State.RUNNING : State.STOPPED).orElse(State.UNKNOWN);
    }
}
