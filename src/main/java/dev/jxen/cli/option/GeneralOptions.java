package dev.jxen.cli.option;

import picocli.CommandLine.Option;

import java.util.List;

/** xen-tools' general options. Values are read back through picocli's ParseResult, never from these fields. */
public class GeneralOptions {
    @Option(names = "--manual", description = "Show the full manual text of this command.") public boolean manual;
    @Option(names = "--verbose", description = "Show each command and its output (--noverbose to turn off).") public boolean verbose;
    @Option(names = {"--noverbose", "--no-verbose"}, hidden = true) public boolean noverbose;
    @Option(names = "--debug", description = "Same as --verbose, and print stack traces of errors.") public boolean debug;
    @Option(names = {"--nodebug", "--no-debug"}, hidden = true) public boolean nodebug;
    @Option(names = "--dumpconfig", description = "Print the effective configuration, each value with where it came from, and exit.") public boolean dumpconfig;
    @Option(names = "--config", paramLabel = "FILE", description = "Read FILE (or /etc/xen-tools/FILE) after xen-tools.conf. The command line still wins.") public String config;
    @Option(names = "--force", description = "Replace an existing guest's images, volumes and .cfg of the same name.") public boolean force;
    @Option(names = {"--noforce", "--no-force"}, hidden = true) public boolean noforce;
    @Option(names = "--keep", description = "On failure, keep the images or volumes made so far (unmounted).") public boolean keep;
    @Option(names = {"--nokeep", "--no-keep"}, hidden = true) public boolean nokeep;
    @Option(names = "--boot", description = "Start the guest with 'xl create' once it is made (--noboot to turn off).") public boolean boot;
    @Option(names = {"--noboot", "--no-boot"}, hidden = true) public boolean noboot;
    @Option(names = "--output", paramLabel = "DIR", description = "Directory for the domU .cfg (default /etc/xen).") public String output;
    @Option(names = "--extension", paramLabel = "EXT", arity = "0..1", fallbackValue = "", description = "Suffix of the .cfg file (default .cfg).") public String extension;
    @Option(names = "--template", paramLabel = "FILE.ftl", description = "FreeMarker template for the .cfg (xen-tools' Text::Template files are refused with a porting hint).") public String template;
    @Option(names = "--hooks", paramLabel = "0|1", description = "Run the hooks after the base install (default 1).") public String hooks;
    @Option(names = "--install", paramLabel = "0|1", description = "Install a base system (default 1).") public String install;
    @Option(names = "--partitions", paramLabel = "NAME|FILE", description = "Partition layout from partitions.d (or a file); ignores --size, --swap, --fs.") public String partitions;
    @Option(names = "--role", paramLabel = "ROLE", split = ",", description = "Role script(s) to run after the hooks; repeatable or comma-separated.") public List<String> role;
    @Option(names = "--role-args", paramLabel = "ARGS", description = "Arguments passed to every role script.") public String roleArgs;
    @Option(names = "--finalrole", paramLabel = "ROLE", split = ",", description = "Role script(s) to run after the .cfg is written.") public List<String> finalrole;
    @Option(names = "--roledir", paramLabel = "DIR", description = "Directory of role scripts (default /etc/xen-tools/role.d).") public String roledir;
    @Option(names = "--copy-cmd", hidden = true, description = "Ignored, as in xen-tools.") public String copyCmd;
    @Option(names = "--tar-cmd", hidden = true, description = "Ignored, as in xen-tools.") public String tarCmd;
}
