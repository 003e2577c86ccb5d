package dev.jxen.cli.option;

import picocli.CommandLine.Option;

import java.util.List;

/** xen-tools' general options. Values are read back through picocli's ParseResult, never from these fields. */
public class GeneralOptions {
    @Option(names = "--manual") public boolean manual;
    @Option(names = "--verbose") public boolean verbose;
    @Option(names = {"--noverbose", "--no-verbose"}, hidden = true) public boolean noverbose;
    @Option(names = "--debug") public boolean debug;
    @Option(names = {"--nodebug", "--no-debug"}, hidden = true) public boolean nodebug;
    @Option(names = "--dumpconfig") public boolean dumpconfig;
    @Option(names = "--config", paramLabel = "FILE") public String config;
    @Option(names = "--force") public boolean force;
    @Option(names = {"--noforce", "--no-force"}, hidden = true) public boolean noforce;
    @Option(names = "--keep") public boolean keep;
    @Option(names = {"--nokeep", "--no-keep"}, hidden = true) public boolean nokeep;
    @Option(names = "--boot") public boolean boot;
    @Option(names = {"--noboot", "--no-boot"}, hidden = true) public boolean noboot;
    @Option(names = "--output", paramLabel = "DIR") public String output;
    @Option(names = "--extension", paramLabel = "EXT", arity = "0..1", fallbackValue = "") public String extension;
    @Option(names = "--template", paramLabel = "FILE.ftl") public String template;
    @Option(names = "--hooks", paramLabel = "0|1") public String hooks;
    @Option(names = "--install", paramLabel = "0|1") public String install;
    @Option(names = "--partitions", paramLabel = "NAME|FILE") public String partitions;
    @Option(names = "--role", paramLabel = "ROLE", split = ",") public List<String> role;
    @Option(names = "--role-args", paramLabel = "ARGS") public String roleArgs;
    @Option(names = "--finalrole", paramLabel = "ROLE", split = ",") public List<String> finalrole;
    @Option(names = "--roledir", paramLabel = "DIR") public String roledir;
    @Option(names = "--copy-cmd", hidden = true) public String copyCmd;
    @Option(names = "--tar-cmd", hidden = true) public String tarCmd;
}
