package dev.jxen.render;

import dev.jxen.error.InvalidInputException;
import dev.jxen.system.BoundedFiles;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A site's xen-tools template ({@code xm.tmpl}, {@code xm-nfs.tmpl} or its own), filled as xen-tools
 * fills it: by Perl's Text::Template ({@code libtext-template-perl}, which xen-tools needs too),
 * through {@code libexec/jxen-text-template}, with the variables xen-tools gives it
 * ({@link XenToolsVariables}). A Text::Template file is Perl code, so it is rendered, never converted:
 * no converter could carry over a loop over {@code @PARTITIONS} or a test of {@code $dhcp} in general.
 *
 * <p>The rule for which engine a template gets: a name ending in {@code .ftl} is jxen's FreeMarker;
 * any other name is xen-tools' Text::Template, as xen-tools reads every template it is given. Being
 * code run as root, the file passes the same trust check as every configuration file.
 */
public final class XenToolsTemplate {
    static final Duration LIMIT = Duration.ofSeconds(60);

    private XenToolsTemplate() {
    }

    /** True for a template that xen-tools' Text::Template fills, false for jxen's FreeMarker ({@code .ftl}). */
    public static boolean isTextTemplate(String name) {
        return !name.endsWith(".ftl");
    }

    /**
     * Fills the template; a template that does not compile or dies is refused with Perl's message
     * (where xen-tools writes that message into the .cfg).
     *
     * @param helper {@code libexec/jxen-text-template}
     */
    public static String fill(Path template, XenToolsVariables vars, Path helper, CommandRunner runner) {
        String text;
        try {
            // checked where it really is, then read from there: Perl gets the text that was checked
            Path real = template.toRealPath();
            Templates.trusted(real);
            byte[] bytes = BoundedFiles.readBytes(real, Templates.MAX_BYTES);
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new IOException(real + " is not UTF-8 text");
            }
        } catch (IOException e) {
            throw new InvalidInputException("template " + template + " cannot be used: " + e.getMessage());
        }
        Command c = new Command(List.of(helper.toString(), template.toString()), Map.of("LC_ALL", "C.UTF-8"), vars.lines() + "T\n" + text, null,
                "text-template", true, LIMIT);
        CommandResult r = runner.run(c, line -> { });
        if (r.ok()) {
            return r.stdout();
        }
        String why = String.join("\n", r.tail()).strip();
        if (why.contains("Can't locate Text/Template.pm")) {
            throw new InvalidInputException("template " + template + " is an xen-tools Text::Template file, and Perl's Text::Template "
                    + "is not installed; apt-get install libtext-template-perl (or give a FreeMarker .ftl template)");
        }
        if (r.status() == 127) {
            throw new InvalidInputException("template " + template + ": " + helper + " or perl cannot be run (" + why
                    + "); apt-get install perl libtext-template-perl");
        }
        if (r.status() == Command.TIMED_OUT) {
            throw new InvalidInputException("template " + template + " did not finish in " + LIMIT.toSeconds() + " s");
        }
        throw new InvalidInputException("template " + template + " failed (Text::Template, exit " + r.status() + "): "
                + why.replace("jxen-text-template: ", ""));
    }
}
