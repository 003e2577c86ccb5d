package dev.jxen.cli;

import org.junit.jupiter.api.Assumptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What xen-tools 4.9.2 prints and ships, kept under src/test/resources/xen-tools-4.9.2 so that the
 * tests that compare jxen with it run where xen-tools is not installed; where it is, a test checks
 * the fixtures against it.
 */
public final class XenToolsFixtures {
    public static final List<String> COMMANDS = List.of("xen-create-image", "xen-update-image", "xen-delete-image", "xen-list-images",
            "xen-create-nfs", "xen-resize-guest");

    private XenToolsFixtures() {
    }

    public static Path file(String name) throws Exception {
        return Path.of(XenToolsFixtures.class.getResource("/xen-tools-4.9.2/" + name).toURI());
    }

    /** The --help of a xen-tools command, as xen-tools 4.9.2 prints it on its standard output. */
    public static String help(String command) throws Exception {
        return Files.readString(file(command + ".help"));
    }

    /** The --help of the installed xen-tools command; skipped where xen-tools is not installed. */
    static String liveHelp(String command) throws Exception {
        Path tool = Path.of("/usr/bin", command);
        Assumptions.assumeTrue(Files.isExecutable(tool), "xen-tools is not installed (.ci/run installs it)");
        Process p = new ProcessBuilder(tool.toString(), "--help").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
