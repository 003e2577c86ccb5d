package dev.jxen.config;

import dev.jxen.cli.InProcess;
import dev.jxen.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each setting is declared once, in the catalog; help, defaults and --dumpconfig come from it. */
class SettingsCatalogTest {
    @TempDir
    Path tmp;

    @Test
    void everyOptionOfCreateImageHasItsHelpFromTheCatalog() {
        CommandLine cl = Main.commandLine().getSubcommands().get("create-image");
        List<String> without = new ArrayList<>();
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (o.hidden()) {
                continue;
            }
            String name = o.longestName().replaceFirst("^-+", "");
            String shown = String.join(" ", o.description());
            Setting s = Settings.byCliName(name).orElse(null);
            if (s == null || shown.isBlank() || !shown.startsWith(s.help())) {
                without.add(name + ": '" + shown + "'");
            }
            if (s != null && s.dflt() != null && s.kind() != Setting.Kind.FLAG) {
                assertTrue(shown.endsWith("Default: " + s.dflt() + "."), name + " does not show its default: " + shown);
            }
        }
        assertEquals(List.of(), without, "options whose help does not come from the catalog");
    }

    /** The shipped file turns some flags on (dhcp, pygrub: the README's first guest); its values are the catalog's. */
    @Test
    void theShippedValuesAgreeWithTheCatalog() {
        ConfigLayer builtin = XenToolsConf.read("built-in", InProcess.home().resolve("etc-xen-tools/xen-tools.conf"));
        List<String> differ = new ArrayList<>();
        builtin.values().forEach((k, v) -> Settings.byKey(k).filter(st -> st.kind() != Setting.Kind.FLAG && st.dflt() != null
                        && !st.dflt().equals(v.text()) && !k.endsWith("_options"))
                .ifPresent(st -> differ.add(k + ": file " + v.text() + ", catalog " + st.dflt())));
        assertEquals(List.of(), differ);
    }

    @Test
    void dumpconfigListsEverySettingWithItsOriginDefaultsIncluded() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        Files.writeString(config.resolve("xen-tools.conf"), "size = 8G\n");
        InProcess.Result r = InProcess.run("create-image", "--config-dir", config.toString(), "--hostname", "h1", "--memory", "1G", "--dumpconfig");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*\\nsize +\\s*= 8G +# " + config.resolve("xen-tools.conf") + ":1\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\nmemory +\\s*= 1G +# command line\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\nswap +\\s*= 512M +# jxen's default\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\nmirror +\\s*= +# unset: guessed from the dom0's apt sources\\n.*"), r.out());
        for (Setting s : Settings.all()) {
            if (!s.cliOnly()) {
                assertTrue(r.out().contains("\n" + s.key() + " "), s.key() + " is not listed");
            }
        }
    }

    @Test
    void aMisspeltKeyIsAWarningWithFileLineAndTheKeyMeant() throws Exception {
        Path f = tmp.resolve("typo.conf");
        Files.writeString(f, "# a comment\nmemroy = 512M\nmirror_bookworm = http://mirror.example/debian\n");
        ConfigLayer l = XenToolsConf.read("typo", f);
        assertEquals(List.of(f + ":2: 'memroy' is not a setting jxen knows (perhaps you meant 'memory'); it only reaches the hooks' environment",
                f + ":3: 'mirror_bookworm' is not a setting jxen knows; it only reaches the hooks' environment"), l.warnings());
        assertEquals("512M", l.values().get("memroy").text(), "hooks still see it");
    }

    @Test
    void anOptionXenToolsIgnoresIsAcceptedWithAWarningByName() throws Exception {
        InProcess.Result r = InProcess.run("create-image", "--config-dir", InProcess.scratchConfigDir(tmp).toString(), "--hostname", "h1",
                "--copy-cmd", "/bin/cp", "--dumpconfig");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning: --copy-cmd is accepted and ignored: xen-tools 4.9.2 ignores it too"), r.err());
    }

    @Test
    void listImagesFindsTheCfgDirectoryOfTheConfiguration() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        Path cfgs = Files.createDirectories(tmp.resolve("cfgs"));
        Files.writeString(config.resolve("xen-tools.conf"), "output = " + cfgs + "\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(cfgs.resolve("g7.cfg"), "name = 'g7'\nmemory = 256\ndisk = [ 'format=raw, vdev=xvda2, target=/srv/g7.img' ]\n");
        InProcess.Result r = InProcess.run("list-images", "--config-dir", config.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"name\":\"g7\""), r.out());
    }
}
