package dev.jxen.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A command's option list in sections, one for each of its named mixins, each under its heading; the
 * options of no section (--help, --version) come first, as picocli lists them.
 */
final class OptionSections implements IHelpSectionRenderer {
    /** The options of mixin {@code mixin}, under {@code heading} (a format string, as picocli's headings). */
    record Section(String mixin, String heading) {
    }

    private final List<Section> sections;

    OptionSections(List<Section> sections) {
        this.sections = List.copyOf(sections);
    }

    /** Makes {@code cl}'s help list its options in these sections. */
    void install(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        for (Section s : sections) {
            if (!spec.mixins().containsKey(s.mixin())) {
                throw new IllegalStateException(spec.name() + " has no mixin " + s.mixin());
            }
        }
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, this);
    }

    @Override
    public String render(Help help) {
        CommandSpec spec = help.commandSpec();
        Set<OptionSpec> inSections = new HashSet<>();
        List<List<OptionSpec>> lists = new ArrayList<>();
        for (Section s : sections) {
            List<OptionSpec> options = new ArrayList<>();
            for (OptionSpec o : spec.mixins().get(s.mixin()).options()) {
                OptionSpec registered = spec.findOption(o.longestName());
                inSections.add(registered);
                if (!registered.hidden()) {
                    options.add(registered);
                }
            }
            lists.add(options);
        }
        List<OptionSpec> rest = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!inSections.contains(o) && !o.hidden()) {
                rest.add(o);
            }
        }
        StringBuilder out = new StringBuilder(help.optionListExcludingGroups(rest));
        for (int i = 0; i < sections.size(); i++) {
            out.append(help.createHeading(sections.get(i).heading()));
            out.append(help.optionListExcludingGroups(lists.get(i)));
        }
        return out.toString();
    }
}
