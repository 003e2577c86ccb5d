package dev.jxen.cli;

import dev.jxen.config.Setting;
import dev.jxen.config.Settings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The option surface agrees with xen-tools' own help, and the settings catalog with the picocli options. */
class OptionSurfaceTest {
    private static final Pattern OPTION = Pattern.compile("^\\s+--(\\(no\\))?([a-z][a-z0-9_-]*)", Pattern.MULTILINE);

    /** The options in xen-tools 4.9.2's help of COMMAND, from the fixture its --help printed. */
    static Set<String> xenToolsOptions(String command) throws Exception {
        Set<String> names = new TreeSet<>();
        Matcher m = OPTION.matcher(XenToolsFixtures.help(command));
        while (m.find()) {
            names.add(m.group(2));
            if (m.group(1) != null) {
                names.add("no" + m.group(2));
            }
        }
        return names;
    }

    static Set<String> xenToolsOptions() throws Exception {
        Set<String> names = xenToolsOptions("xen-create-image");
        assertTrue(names.size() > 70, "read too few options from xen-create-image --help: " + names);
        return names;
    }

    @Test
    void theFixturesAreWhatTheInstalledXenToolsPrints() throws Exception {
        for (String command : XenToolsFixtures.COMMANDS) {
            assertEquals(XenToolsFixtures.help(command), XenToolsFixtures.liveHelp(command), command + " --help");
        }
    }

    @Test
    void everyCompanionCommandAcceptsTheOptionsOfItsXenToolsNamesake() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String command : List.of("xen-update-image", "xen-delete-image", "xen-list-images", "xen-create-nfs", "xen-resize-guest")) {
            Set<String> options = xenToolsOptions(command);
            assertTrue(options.size() >= 5, command + ": " + options);
            CommandLine cl = Main.commandLine().getSubcommands().get(command.equals("xen-resize-guest") ? "resize-image" : command.replaceFirst("^xen-", ""));
            for (String name : options) {
                OptionSpec o = cl.getCommandSpec().findOption("--" + name);
                if (o == null) {
                    missing.add(command + " --" + name);
                }
            }
        }
        assertEquals(List.of(), missing, "options of xen-tools' companion commands that jxen's lack");
    }

    @Test
    void everyXenToolsOptionIsAcceptedUnderItsName() throws Exception {
        CommandLine cl = Main.commandLine().getSubcommands().get("create-image");
        List<String> missing = new ArrayList<>();
        for (String name : xenToolsOptions()) {
            if (cl.getCommandSpec().findOption("--" + name) == null) {
                missing.add("--" + name);
            }
        }
        assertEquals(List.of(), missing, "options of xen-create-image --help that jxen-create-image does not accept");
    }

    @Test
    void everyOptionParsesInBothArgumentForms() throws Exception {
        CommandLine cl = Main.commandLine().getSubcommands().get("create-image");
        for (String name : xenToolsOptions()) {
            OptionSpec o = cl.getCommandSpec().findOption("--" + name);
            if (o == null || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            List<String[]> forms = new ArrayList<>();
            if (o.arity().max() == 0) {
                forms.add(new String[] {"--" + name});
            } else {
                forms.add(new String[] {"--" + name + "=x1"});
                forms.add(new String[] {"--" + name, "x1"});
            }
            for (String[] args : forms) {
                try {
                    new CommandLine(new CreateImageCommand()).parseArgs(args);
                } catch (CommandLine.ParameterException e) {
                    fail("--" + name + " " + String.join(" ", args) + ": " + e.getMessage());
                }
            }
        }
    }

    @Test
    void everyPicocliOptionMapsToASettingAndBack() {
        CommandLine cl = Main.commandLine().getSubcommands().get("create-image");
        Set<String> optionNames = new TreeSet<>();
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            for (String n : o.names()) {
                if (n.startsWith("--")) {
                    optionNames.add(n.substring(2));
                    assertTrue(Settings.byCliName(n.substring(2)).isPresent(), "no setting for option " + n);
                }
            }
            String longest = o.longestName().replaceFirst("^-+", "");
            assertTrue(Settings.byCliName(longest).isPresent(), "no setting for " + longest);
        }
        for (Setting s : Settings.all()) {
            if (s.key().equals("help") || s.key().equals("version")) {
                continue;
            }
            for (String n : s.cliNames()) {
                assertTrue(optionNames.contains(n), "setting " + s.key() + " names option --" + n + " that the command lacks");
            }
        }
    }

    @Test
    void unknownOptionIsAnErrorWithExitCode2() {
        InProcess.Result r = InProcess.run("create-image", "--hostname", "a", "--no-such-option");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--no-such-option"), r.err());
    }

    @Test
    void helpListsTheXenToolsGroupsAndExitCodes() {
        InProcess.Result r = InProcess.run("create-image", "--help");
        assertEquals(0, r.exit());
        for (String heading : List.of("General options:", "Size and disk options:", "Storage target", "Installation options:",
                "Networking options:", "Accounts:", "Exit status:")) {
            assertTrue(r.out().contains(heading), "help lacks " + heading);
        }
    }
}
