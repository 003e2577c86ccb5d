package dev.jxen.cli;

import dev.jxen.config.ImageSpec;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Pipeline.StagePlan;
import dev.jxen.system.Json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** --dry-run: the plan, as text for a person or as one JSON document. */
final class PlanPrinter {
    private PlanPrinter() {
    }

    /** @param cfgText the .cfg the create would write, in the JSON plan so that a caller can compare it with the one in place */
    static void print(ImageSpec spec, String cfgText, List<StagePlan> plan, boolean json, PrintWriter out) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("hostname", spec.hostname().fqdn());
        doc.put("dist", spec.install().dist());
        doc.put("arch", spec.install().arch());
        doc.put("mirror", spec.install().mirror().orElse(null));
        doc.put("cfg", spec.domain().configFile(spec.hostname()).toString());
        doc.put("mac", spec.network().mac().text());
        doc.put("boot_path", spec.domain().start().path().key());
        doc.put("type", spec.domain().start().type().key());
        doc.put("boot_why", spec.domain().start().why());
        doc.put("install_method", spec.install().enabled() ? spec.install().method().key() : null);
        doc.put("install_method_why", spec.install().enabled() ? spec.install().methodWhy() : null);
        doc.put("cfg_text", cfgText);
        String installs = spec.install().enabled()
                ? "\nInstalls with " + spec.install().method().key() + " (" + spec.install().methodWhy() + ")" : "";
        print(String.format("Guest %s: %s/%s, %s memory, %d vcpu(s), MAC %s, config %s", spec.hostname(), spec.install().dist(),
                spec.install().arch(), spec.domain().memory(), spec.domain().vcpus(), spec.network().mac(),
                spec.domain().configFile(spec.hostname())) + "\nBoots with " + spec.domain().start().why() + installs, doc, plan, json, out);
    }

    /** A plan with a heading line (text) or the given fields (JSON). */
    static void print(String heading, Map<String, Object> fields, List<StagePlan> plan, boolean json, PrintWriter out) {
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("dry_run", true);
            doc.putAll(fields);
            List<Object> stages = new ArrayList<>();
            for (StagePlan p : plan) {
                List<Object> actions = new ArrayList<>();
                for (PlannedAction a : p.actions()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("kind", a.kind());
                    m.put("target", a.target());
                    m.put("detail", a.detail());
                    actions.add(m);
                }
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("stage", p.stage());
                st.put("actions", actions);
                stages.add(st);
            }
            doc.put("stages", stages);
            out.println(Json.write(doc));
            out.flush();
            return;
        }
        out.println("Dry run: nothing will be created, removed, mounted or written.");
        out.println(heading);
        int i = 0;
        for (StagePlan p : plan) {
            out.printf("%n[%d/%d] %s%n", ++i, plan.size(), p.stage());
            for (PlannedAction a : p.actions()) {
                if (a.kind().equals(PlannedAction.SHOW)) {
                    out.printf("    %-7s %s:%n", "write", a.target());
                    a.detail().lines().forEach(l -> out.println("        | " + l));
                } else {
                    out.printf("    %-7s %s%s%n", a.kind(), a.target(), a.detail().isEmpty() ? "" : "  (" + a.detail() + ")");
                }
            }
        }
        out.flush();
    }
}
