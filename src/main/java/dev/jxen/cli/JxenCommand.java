package dev.jxen.cli;

import picocli.CommandLine.Command;

/** The root command; its subcommands are those of {@link JxenCommandTree}, each also with a launcher of the xen-tools name. */
@Command(name = "jxen", mixinStandardHelpOptions = true, versionProvider = Version.class, resourceBundle = "dev.jxen.cli.SettingsHelp",
        description = "Provision Xen guests: a drop-in rewrite of Debian's xen-tools.",
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {
            "0:success", "1:internal error (a bug: please report it with --debug output)",
            "2:invalid input: an option, a config file, a profile or a partitions file",
            "3:host not ready: name in use, tool missing, lock held, not root",
            "4:a stage failed; what it created was rolled back (unless --keep); a guest already started with --boot stays",
            "130:interrupted; rolled back"})
public class JxenCommand {
}
