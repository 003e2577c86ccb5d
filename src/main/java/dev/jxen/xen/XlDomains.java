package dev.jxen.xen;

import dev.jxen.system.Backticks;
import dev.jxen.system.ShellQuote;

import java.nio.file.Files;
import java.nio.file.Path;

/** The xl toolstack as Debian installs it, and what it says about running domains. */
public final class XlDomains {
    private XlDomains() {
    }

    /** The xl binary: Debian's /usr/sbin/xl is a wrapper that wants /sys/hypervisor, the real tool lives here. */
    public static String xl() {
        for (String v : new String[] {"4.17", "4.16", "4.14", "4.11"}) {
            Path p = Path.of("/usr/lib/xen-" + v + "/bin/xl");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return "xl";
    }

    /** running, stopped, or unknown when xl cannot tell (no hypervisor). */
    public static String state(String name) {
        Backticks.Result all = Backticks.run(ShellQuote.quote(xl()) + " list 2>/dev/null");
        if (all.status() != 0) {
            return "unknown";
        }
        for (String line : all.output().split("\n")) {
            if (line.split("\\s+")[0].equals(name)) {
                return "running";
            }
        }
        return "stopped";
    }

    public static boolean running(String name) {
        return state(name).equals("running");
    }
}
