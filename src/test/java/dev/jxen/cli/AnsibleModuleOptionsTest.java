package dev.jxen.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Ansible module jxen_guest speaks jxen-create-image's language: every option it passes exists, under the module option's name. */
class AnsibleModuleOptionsTest {
    private static final Path COLLECTION = InProcess.home().resolve("ansible/ansible_collections/jxen/xen");
    private static final Pattern SETTING = Pattern.compile("\\('([a-z_]+)', '(--[a-z_-]+)', '(value|flag|each|joined)'\\)");
    private static final Pattern OPTION = Pattern.compile("'(--[a-z_-]+)'");

    private static String module() throws Exception {
        return Files.readString(COLLECTION.resolve("plugins/modules/jxen_guest.py"));
    }

    private static String section(String text, String start, String end) {
        int from = text.indexOf(start);
        return text.substring(from, text.indexOf(end, from));
    }

    @Test
    void everySettingIsAnOptionOfCreateImageNamedAsIt() throws Exception {
        CommandSpec create = new CommandLine(new CreateImageCommand()).getCommandSpec();
        Matcher m = SETTING.matcher(section(module(), "SETTINGS = [", "]\n"));
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            String option = m.group(2);
            assertTrue(create.findOption(option) != null, option + " (module option " + name + ") is not an option of jxen-create-image");
            assertEquals(option.substring(2).replace('-', '_'), name, "the module option is named as " + option);
            boolean flag = m.group(3).equals("flag");
            assertEquals(flag, create.findOption(option).arity().max() == 0, option + " takes a value exactly when the module says so");
            seen.add(name);
        }
        assertTrue(seen.size() > 40, "the table was read: " + seen);
        assertTrue(seen.containsAll(List.of("dir", "lvm", "dist", "dhcp", "ip", "size", "memory", "output", "config_dir", "profile", "role")), seen.toString());
    }

    @Test
    void theOptionsTheModuleSetsItselfAndTheNegativeFlagsExist() throws Exception {
        CommandSpec create = new CommandLine(new CreateImageCommand()).getCommandSpec();
        for (String block : List.of(section(module(), "CONTROLLED = (", ")\n"), section(module(), "NEGATIVE = {", "}\n"))) {
            Matcher m = OPTION.matcher(block);
            int n = 0;
            while (m.find()) {
                assertTrue(create.findOption(m.group(1)) != null, m.group(1) + " is not an option of jxen-create-image");
                n++;
            }
            assertTrue(n >= 3, block);
        }
    }

    @Test
    void theCollectionHasJxensVersion() throws Exception {
        String pom = Files.readString(InProcess.home().resolve("pom.xml"));
        Matcher v = Pattern.compile("<artifactId>jxen</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(v.find(), "the version in pom.xml");
        String galaxy = Files.readString(COLLECTION.resolve("galaxy.yml"));
        assertTrue(galaxy.contains("\nversion: " + v.group(1).replace("-SNAPSHOT", "") + "\n"), "galaxy.yml's version is " + v.group(1) + " without -SNAPSHOT");
    }
}
