package dev.jxen.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/** --manual, which xen-tools' commands have: the help, then where the manual is, since jxen's manual is its man pages and README. */
final class Manual {
    private Manual() {
    }

    static int print(CommandLine command) {
        PrintWriter out = command.getOut();
        command.usage(out);
        out.println();
        out.println("The manual: man jxen-" + command.getCommandName() + " (installed with the jxen package), and the README"
                + " (/usr/share/doc/jxen/README.md) for configuration, hooks, roles and security.");
        out.flush();
        return 0;
    }
}
